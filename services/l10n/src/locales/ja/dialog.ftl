# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = メールアドレスでログイン
dialog-legal = 続行すると、{ $site } の{ $terms }と{ $privacy }に同意したものとみなされます。
dialog-legal-terms = 利用規約
dialog-legal-privacy = プライバシーポリシー

dialog-add-heading = メールアドレスを追加
dialog-add-submit = 追加

dialog-password-heading = パスワードを入力してください
dialog-error-wrong-password = パスワードが正しくありません。
dialog-error-locked = このアカウントで誤ったパスワードが多すぎます。しばらく待ってからもう一度お試しいただくか、パスワードを再設定してください。
dialog-confirmed-enter-password = アドレスを確認しました。パスワードを入力してログインを完了してください。

dialog-new-password-heading = パスワードを作成
dialog-choose-password-heading = パスワードを設定
dialog-create-account = アカウントを作成

## "Remember you?"

dialog-computer-heading = ログイン状態を保持しますか？
dialog-computer-question = { -brand-name } へのログイン状態をどのくらい保持しますか？
dialog-computer-mine = 1 か月
dialog-computer-mine-hint = このコンピューターを信頼します。
dialog-computer-not-mine = このセッションのみ
dialog-computer-not-mine-hint = 自分のコンピューターではありません。1 時間以内にログアウトしてください。
dialog-computer-fine = { -brand-name } からはいつでもログアウトできます。
dialog-computer-announce = ログインしました。ログイン状態をどのくらい保持しますか？
dialog-computer-remembering = 設定を保存しています…

## Waiting for the emailed link

dialog-check-email-heading = メールを確認してください
dialog-check-email-sent = { $email } にメッセージを送信しました。
dialog-check-email-confirm = メール内のリンクをクリックしてアドレスを確認してください。このウィンドウは自動的に次へ進みます。
dialog-check-email-reset = メール内のリンクをクリックして新しいパスワードを設定してください。
dialog-check-email-announce = { $email } にメールを送信しました。リンクがクリックされるのを待っています。

## Choosing an address

dialog-pick-heading = { $site } にログイン
dialog-pick-legend = メールアドレスを選択してください
dialog-pick-add = 別のメールアドレスを追加
dialog-pick-not-me = 自分ではありません
dialog-pick-none = アドレスを選択してください。

## Primary identity providers

dialog-provisioning-heading = { $issuer } に確認しています

## Done

dialog-signed-in-heading = ログインしました
dialog-signed-in-body = { $email } として { $site } にログインしています…

## Errors

dialog-error-heading = 問題が発生しました
dialog-error-start-again = うまくいきませんでした。最初からやり直してください。
dialog-error-no-opener = このウィンドウは、{ -brand-name } を利用しているサイトから開く必要があります。
dialog-error-bad-redirect = このログインリンクは無効です。前のページに戻って、もう一度お試しください。
dialog-error-idp-offline = { $email } の ID プロバイダーは現在オフラインです。しばらくしてからもう一度お試しください。

## Re-verification

dialog-reverify-heading = アドレスをもう一度確認してください
dialog-reverify-explain = パスワードが再設定されたため、{ $email } を使うにはもう一度確認が必要です。このアドレスにリンク付きのメッセージを送信します。
dialog-reverify-send = メールを送信
dialog-check-email-reverify = メール内のリンクをクリックして、アドレスをもう一度確認してください。このウィンドウは自動的に次へ進みます。

## Cookies disabled

dialog-cookies-heading = { -brand-name } には Cookie が必要です
dialog-cookies-explain = お使いのブラウザーが { -brand-name } の Cookie を許可していないため、ログイン中であることを記憶できません。ブラウザーの設定で { $persona } の Cookie を許可してから、もう一度お試しください。
