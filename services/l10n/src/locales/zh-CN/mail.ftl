# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site }：完成登录
mail-subject-confirm = { $site }：完成登录
mail-subject-reverify = { $site }：请重新确认您的电子邮件地址
mail-subject-reset = { $site }：完成密码重置
mail-subject-transition = { $site }：完成登录

## The first paragraph

mail-intro-new = { $site } 请求 { -brand-name } 为 { $email } 完成账户创建。
mail-intro-confirm = { $site } 请求 { -brand-name } 确认 { $email } 是您的电子邮件地址。
mail-intro-reverify = 您的 { -brand-name } 密码已重置，因此 { $email } 需要重新确认后才能使用。此邮件应 { $site } 的请求发送。
mail-intro-reset = { $site } 请求 { -brand-name } 重置 { $email } 的密码。
mail-intro-transition = { $site } 请求 { -brand-name } 完成您以 { $email } 身份的登录。

mail-open-link = 要继续，请打开此链接：
mail-button = 继续
mail-ignore = 如果这不是您本人的请求，可以忽略此邮件：在打开链接之前不会有任何更改。
mail-footer = 由 { -brand-name } 代表 { $site } 发送。

## 给账户所有者的通知

mail-subject-signin-failures = 您的 { -brand-name } 账户收到错误的密码
mail-notice-signin-failures = 有人（也可能是您本人）在以 { $email } 登录 { -brand-name } 时输入了 { $count } 次错误的密码。从现在起，每次使用密码的尝试都需要多等待一些时间。
mail-notice-signin-failures-safe = 您的账户没有被锁定，密码也没有更改。您以前登录过的浏览器无需等待。
mail-notice-signin-failures-reset = 如果这不是您本人，无需任何操作。如果您忘记了密码，请在登录窗口中重置：邮件中的链接会让您立即登录。
mail-footer-notice = 由 { -brand-name } 发送给此账户的所有者。
