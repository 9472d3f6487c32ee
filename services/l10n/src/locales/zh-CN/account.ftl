# SPDX-License-Identifier: MPL-2.0

account-signin-heading = 登录您的 { -brand-name } 账户
account-signin-primary-hint = 如果您的电子邮件服务商支持 { -brand-name }，请将密码留空：您将通过服务商登录。
account-signin-mismatch = 该电子邮件地址和密码与任何账户都不匹配。
account-forgot-need-email = 请先输入您的电子邮件地址。
account-forgot-sent = 我们已向 { $email } 发送了一封邮件。点击邮件中的链接即可设置新密码。

account-heading = 您的 { -brand-name } 账户
account-emails-heading = 您的电子邮件地址
account-remove = 移除
account-remove-label = 移除 { $email }
account-remove-confirm = 要从您的账户中移除 { $email } 吗？
account-removed = 已移除 { $email }。

account-add-heading = 添加电子邮件地址
account-add-choose-password = 设置密码
account-add-submit = 添加地址
account-check-email-heading = 请查收电子邮件
account-check-email-add = 我们已向 { $email } 发送了一封邮件。点击邮件中的链接即可添加该地址。
account-email-sent = 已向 { $email } 发送电子邮件。
account-back = 返回您的账户
account-added = 已添加 { $email }。
account-add-failed = 无法添加 { $email }。

account-password-heading = 更改您的密码
account-password-submit = 更改密码
account-password-changing = 正在更改您的密码…
account-password-wrong = 当前密码不正确。
account-password-changed = 您的密码已更改。

account-cancel-heading = 注销您的账户
account-cancel-explain = 这将移除所有地址并删除该账户。此操作无法撤销。
account-cancel-confirm = 是的，注销我的账户
account-cancel-submit = 注销账户
account-cancel-tick = 请勾选复选框以确认。
account-cancelling = 正在注销您的账户…
account-cancelled = 您的账户已注销。
account-signed-out = 您已退出登录。

## Re-verification

account-unverified = 未确认
account-reverify = 重新确认
account-reverify-label = 重新确认 { $email }
account-reverify-sent = 我们已向 { $email } 发送了一封邮件。点击邮件中的链接即可重新确认该地址。
account-reverified = { $email } 已确认。
account-unverified-hint = 重置密码后，您的其他地址需要重新确认才能使用。
