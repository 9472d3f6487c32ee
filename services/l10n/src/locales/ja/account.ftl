# SPDX-License-Identifier: MPL-2.0

account-signin-heading = { -brand-name } アカウントにログイン
account-signin-primary-hint = お使いのメールプロバイダーが { -brand-name } に対応している場合は、パスワードを空欄のままにしてください。プロバイダーでログインします。
account-signin-mismatch = メールアドレスとパスワードに一致するアカウントがありません。
account-forgot-need-email = 先にメールアドレスを入力してください。
account-forgot-sent = { $email } にメッセージを送信しました。メール内のリンクをクリックして新しいパスワードを設定してください。

account-heading = { -brand-name } アカウント
account-emails-heading = メールアドレス
account-remove = 削除
account-remove-label = { $email } を削除
account-remove-confirm = { $email } をアカウントから削除しますか？
account-removed = { $email } を削除しました。

account-add-heading = メールアドレスを追加
account-add-choose-password = パスワードを設定
account-add-submit = アドレスを追加
account-check-email-heading = メールを確認してください
account-check-email-add = { $email } にメッセージを送信しました。メール内のリンクをクリックするとアドレスが追加されます。
account-email-sent = { $email } にメールを送信しました。
account-back = アカウントに戻る
account-added = { $email } を追加しました。
account-add-failed = { $email } を追加できませんでした。

account-password-heading = パスワードの変更
account-password-submit = パスワードを変更
account-password-changing = パスワードを変更しています…
account-password-wrong = 現在のパスワードが正しくありません。
account-password-changed = パスワードを変更しました。

account-cancel-heading = アカウントの削除
account-cancel-explain = すべてのアドレスが削除され、アカウントは消去されます。元に戻すことはできません。
account-cancel-confirm = はい、アカウントを削除します
account-cancel-submit = アカウントを削除
account-cancel-tick = 確認のため、チェックボックスをオンにしてください。
account-cancelling = アカウントを削除しています…
account-cancelled = アカウントを削除しました。
account-signed-out = ログアウトしました。

## Re-verification

account-unverified = 未確認
account-reverify = もう一度確認
account-reverify-label = { $email } をもう一度確認
account-reverify-sent = { $email } にメッセージを送信しました。メール内のリンクをクリックして、アドレスをもう一度確認してください。
account-reverified = { $email } を確認しました。
account-unverified-hint = パスワードを再設定した後は、ほかのアドレスを使う前にもう一度確認する必要があります。
