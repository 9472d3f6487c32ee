# SPDX-License-Identifier: MPL-2.0
# 简体中文。术语表：glossary.json

-brand-name = Persona

## Page shells

page-title-account = 您的 { -brand-name } 账户
page-title-sign-in = 登录 · { -brand-name }
page-title-sign-in-to = 登录 { $site } · { -brand-name }
page-title-confirm = 确认您的电子邮件地址 · { -brand-name }
page-title-reset = 重置您的密码 · { -brand-name }
page-title-not-found = 找不到页面 · { -brand-name }
page-title-check-idp = 检查身份提供方 · { -brand-name }
shell-sign-in-to = 登录到
shell-footer = { -brand-name } · 您的电子邮件地址就是您的身份
shell-brand = { -brand-name }
not-found-heading = 找不到页面
not-found-body = 此地址下没有任何内容。
not-found-link = 前往您的 { -brand-name } 账户

## Form fields

field-email = 电子邮件地址
field-new-email = 新的电子邮件地址
field-password = 密码
field-current-password = 当前密码
field-new-password = 新密码
field-repeat-password = 再次输入密码
field-repeat-new-password = 再次输入新密码

## Buttons

action-next = 下一步
action-continue = 继续
action-cancel = 取消
action-back = 返回
action-sign-in = 登录
action-sign-out = 退出登录
action-try-again = 重试
action-forgot-password = 忘记密码？
action-use-another = 使用其他地址

## Progress

status-loading = 正在加载
status-checking-address = 正在检查您的地址…
status-signing-in = 正在登录…
status-signing-out = 正在退出登录…
status-sending-email = 正在向您发送电子邮件…
status-saving = 正在保存…
status-signed-in-as = 已以 { $email } 的身份登录。

## Passwords

password-hint = 8 至 80 个字符。
password-too-short = 密码至少需要 8 个字符。
password-too-long = 密码最多只能有 80 个字符。
password-length = 密码长度必须为 8 至 80 个字符。
password-mismatch = 两次输入的密码不一致。

## Errors

error-email-invalid = 请输入有效的电子邮件地址。
error-throttled = 向该地址发送的电子邮件过多。请一分钟后再试。
error-busy = { -brand-name } 当前繁忙，请重试。
error-network = 无法连接到 { -brand-name }。请检查您的网络连接后重试。
error-generic = 出现了问题，请重试。
error-signed-out = 您已不再处于登录状态，请重新开始。
error-no-such-address = 没有使用该电子邮件地址的账户。
error-already-verified = 该电子邮件地址已经验证过了。
error-not-yours = 该电子邮件地址不属于您的账户。
error-needs-reverify = 该电子邮件地址需要重新验证后才能使用。
error-cookies = 您的浏览器没有保存 { -brand-name } 的 Cookie。请允许此网站使用 Cookie 后重试。

## Primary identity providers

primary-heading = 使用 { $issuer } 登录
primary-managed = { $email } 由 { $issuer } 管理。
primary-explain = 请在 { $issuer } 登录以确认是您本人；完成后会回到这里。
primary-continue = 前往 { $issuer }
primary-asking = 正在请 { $issuer } 确认 { $email }…
primary-failed = { $issuer } 无法让您登录。请稍后再试。
primary-cancelled = { $issuer } 未让您登录。
primary-no-pages = { $issuer } 没有提供登录位置。
