# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = 登录 { -brand-name }
idp-auth-explain = { -brand-name } 为 { $email } 提供担保。请输入您的 { -brand-name } 密码以继续。
idp-auth-wrong = 密码不正确。
idp-auth-no-email = 此页面需要一个电子邮件地址：请从您要登录的网站重新开始。
