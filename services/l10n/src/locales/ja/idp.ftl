# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = { -brand-name } にログイン
idp-auth-explain = { -brand-name } が { $email } を保証します。続けるには { -brand-name } のパスワードを入力してください。
idp-auth-wrong = パスワードが正しくありません。
idp-auth-no-email = このページにはメールアドレスが必要です。ログインしようとしていたサイトから、もう一度やり直してください。
