# SPDX-License-Identifier: MPL-2.0

link-checking = 正在检查您的链接…
link-incomplete = 链接不完整。请从邮件中复制完整的链接。
link-failed-heading = 此链接无效
link-used-or-expired = 此链接已被使用或已过期。
link-go-to-account = 前往您的 { -brand-name } 账户

link-password-heading = 输入您的密码
link-new-password-heading = 设置新密码
link-save-password = 保存密码
link-confirm = 确认
link-need-password = 请输入您的密码。
link-wrong-password = 密码不正确。

link-confirmed-heading = 您的地址已确认
link-confirmed-body = { $email } 现在可以使用了。
link-confirmed-announce = 地址已确认。
link-reset-heading = 您的密码已重置
link-reset-body = { $email } 可以使用新密码登录了。
link-reset-announce = 密码已重置。
link-continue-elsewhere = 如果您在另一个窗口中开始登录某个网站，登录会在那里继续。您可以关闭此页面。
link-manage-account = 管理您的 { -brand-name } 账户

link-return-to-site = 继续前往 { $site }
