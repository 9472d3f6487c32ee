# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = 使用您的电子邮件地址登录
dialog-legal = 继续即表示您同意 { $site } 的{ $terms }和{ $privacy }。
dialog-legal-terms = 服务条款
dialog-legal-privacy = 隐私政策

dialog-add-heading = 添加电子邮件地址
dialog-add-submit = 添加

dialog-password-heading = 输入您的密码
dialog-error-wrong-password = 密码不正确。
dialog-error-locked = 此账户的错误密码次数过多。请稍候再试，或重置密码。
dialog-confirmed-enter-password = 您的地址已确认。请输入密码以完成登录。

dialog-new-password-heading = 创建密码
dialog-choose-password-heading = 设置密码
dialog-create-account = 创建账户

## "Remember you?"

dialog-computer-heading = 保持登录？
dialog-computer-question = 您希望在 { -brand-name } 保持登录多长时间？
dialog-computer-mine = 一个月
dialog-computer-mine-hint = 我信任这台计算机。
dialog-computer-not-mine = 仅限本次会话
dialog-computer-not-mine-hint = 这不是我的计算机：请在一小时内让我退出登录。
dialog-computer-fine = 您可以随时退出 { -brand-name } 登录。
dialog-computer-announce = 已登录。您希望保持登录多长时间？
dialog-computer-remembering = 正在保存您的选择…

## Waiting for the emailed link

dialog-check-email-heading = 请查收电子邮件
dialog-check-email-sent = 我们已向 { $email } 发送了一封邮件。
dialog-check-email-confirm = 点击邮件中的链接即可确认该地址。此窗口会自动继续。
dialog-check-email-reset = 点击邮件中的链接即可设置新密码。
dialog-check-email-announce = 已向 { $email } 发送电子邮件。正在等待您点击链接。

## Choosing an address

dialog-pick-heading = 登录 { $site }
dialog-pick-legend = 选择一个电子邮件地址
dialog-pick-add = 添加其他电子邮件地址
dialog-pick-not-me = 这不是我
dialog-pick-none = 请选择一个地址。

## Primary identity providers

dialog-provisioning-heading = 正在向 { $issuer } 确认

## Done

dialog-signed-in-heading = 已登录
dialog-signed-in-body = 正在以 { $email } 的身份登录 { $site }…

## Errors

dialog-error-heading = 出现了问题
dialog-error-start-again = 操作未成功，请重新开始。
dialog-error-no-opener = 此窗口必须由使用 { -brand-name } 的网站打开。
dialog-error-bad-redirect = 此登录链接无效。请返回后重试。
dialog-error-idp-offline = { $email } 的身份提供方目前离线。请稍后再试。

## Re-verification

dialog-reverify-heading = 请重新确认您的地址
dialog-reverify-explain = 您的密码已重置，因此 { $email } 需要重新确认后才能使用。我们会向该地址发送一封包含链接的邮件。
dialog-reverify-send = 发送电子邮件
dialog-check-email-reverify = 点击邮件中的链接即可重新确认该地址。此窗口会自动继续。

## Cookies disabled

dialog-cookies-heading = { -brand-name } 需要 Cookie
dialog-cookies-explain = 您的浏览器不允许 { -brand-name } 保存 Cookie，因此无法记住您正在登录。请在浏览器设置中允许 { $persona } 使用 Cookie，然后重试。
