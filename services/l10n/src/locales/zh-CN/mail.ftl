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
