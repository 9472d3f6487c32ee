# SPDX-License-Identifier: MPL-2.0

link-checking = リンクを確認しています…
link-incomplete = リンクが不完全です。メールからリンク全体をコピーしてください。
link-failed-heading = このリンクは使用できませんでした
link-used-or-expired = このリンクはすでに使用されたか、有効期限が切れています。
link-go-to-account = { -brand-name } アカウントへ移動

link-password-heading = パスワードを入力してください
link-new-password-heading = 新しいパスワードを設定
link-save-password = パスワードを保存
link-confirm = 確認
link-need-password = パスワードを入力してください。
link-wrong-password = パスワードが正しくありません。

link-confirmed-heading = アドレスを確認しました
link-confirmed-body = { $email } が使えるようになりました。
link-confirmed-announce = アドレスを確認しました。
link-reset-heading = パスワードを再設定しました
link-reset-body = { $email } は新しいパスワードでログインできます。
link-reset-announce = パスワードを再設定しました。
link-continue-elsewhere = 別のウィンドウでサイトへのログインを始めていた場合は、そちらで続きが進みます。このページは閉じてかまいません。
link-manage-account = { -brand-name } アカウントを管理

link-return-to-site = { $site } へ進む
