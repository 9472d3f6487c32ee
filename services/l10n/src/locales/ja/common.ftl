# SPDX-License-Identifier: MPL-2.0
# 日本語（です・ます調）。用語集: glossary.json

-brand-name = Persona

## Page shells

page-title-account = { -brand-name } アカウント
page-title-sign-in = ログイン · { -brand-name }
page-title-sign-in-to = { $site } にログイン · { -brand-name }
page-title-confirm = メールアドレスの確認 · { -brand-name }
page-title-reset = パスワードの再設定 · { -brand-name }
page-title-not-found = ページが見つかりません · { -brand-name }
page-title-check-idp = ID プロバイダーのチェック · { -brand-name }
shell-sign-in-to = ログイン先
shell-footer = { -brand-name } · メールアドレスがあなたの ID です
shell-brand = { -brand-name }
not-found-heading = ページが見つかりません
not-found-body = このアドレスには何もありません。
not-found-link = { -brand-name } アカウントへ移動

## Form fields

field-email = メールアドレス
field-new-email = 新しいメールアドレス
field-password = パスワード
field-current-password = 現在のパスワード
field-new-password = 新しいパスワード
field-repeat-password = パスワード（確認用）
field-repeat-new-password = 新しいパスワード（確認用）

## Buttons

action-next = 次へ
action-continue = 続ける
action-cancel = キャンセル
action-back = 戻る
action-sign-in = ログイン
action-sign-out = ログアウト
action-try-again = もう一度試す
action-forgot-password = パスワードをお忘れですか？
action-use-another = 別のアドレスを使う

## Progress

status-loading = 読み込み中
status-checking-address = アドレスを確認しています…
status-signing-in = ログインしています…
status-signing-out = ログアウトしています…
status-sending-email = メールを送信しています…
status-saving = 保存しています…
status-signed-in-as = { $email } としてログインしました。

## Passwords

password-hint = 8〜80 文字。
password-too-short = パスワードは 8 文字以上にしてください。
password-too-long = パスワードは 80 文字以下にしてください。
password-length = パスワードは 8〜80 文字にしてください。
password-mismatch = パスワードが一致しません。

## Errors

error-email-invalid = 有効なメールアドレスを入力してください。
error-throttled = このアドレスに送信したメールが多すぎます。1 分ほどしてからもう一度お試しください。
error-busy = ただいま { -brand-name } が混み合っています。もう一度お試しください。
error-network = { -brand-name } に接続できません。接続状況を確認して、もう一度お試しください。
error-generic = 問題が発生しました。もう一度お試しください。
error-signed-out = ログイン状態が切れました。最初からやり直してください。
error-no-such-address = このメールアドレスのアカウントはありません。
error-already-verified = このメールアドレスはすでに確認済みです。
error-not-yours = このメールアドレスはあなたのアカウントのものではありません。
error-needs-reverify = このメールアドレスを使うには、もう一度確認が必要です。
error-cookies = お使いのブラウザーが { -brand-name } の Cookie を保持しませんでした。このサイトの Cookie を許可して、もう一度お試しください。

## Primary identity providers

primary-heading = { $issuer } でログイン
primary-managed = { $email } は { $issuer } が管理しています。
primary-explain = ご本人であることを確認するため { $issuer } にログインしてください。その後、この画面に戻ります。
primary-continue = { $issuer } へ進む
primary-asking = { $issuer } に { $email } の確認を依頼しています…
primary-failed = { $issuer } でログインできませんでした。しばらくしてからもう一度お試しください。
primary-cancelled = { $issuer } でのログインは完了しませんでした。
primary-no-pages = { $issuer } からログイン先が示されませんでした。
