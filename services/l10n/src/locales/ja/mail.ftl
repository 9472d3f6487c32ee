# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site }: ログインを完了してください
mail-subject-confirm = { $site }: ログインを完了してください
mail-subject-reverify = { $site }: メールアドレスをもう一度確認してください
mail-subject-reset = { $site }: パスワードの再設定を完了してください
mail-subject-transition = { $site }: ログインを完了してください

## The first paragraph

mail-intro-new = { $site } から { -brand-name } に、{ $email } のアカウント作成を完了するよう依頼がありました。
mail-intro-confirm = { $site } から { -brand-name } に、{ $email } をあなたのメールアドレスとして確認するよう依頼がありました。
mail-intro-reverify = { -brand-name } のパスワードが再設定されたため、{ $email } を使う前にもう一度確認が必要です。このメッセージは { $site } の依頼で送信されました。
mail-intro-reset = { $site } から { -brand-name } に、{ $email } のパスワードを再設定するよう依頼がありました。
mail-intro-transition = { $site } から { -brand-name } に、{ $email } としてのログインを完了するよう依頼がありました。

mail-open-link = 続けるには、次のリンクを開いてください:
mail-button = 続ける
mail-ignore = 心当たりがない場合は、このメッセージを無視してください。リンクを開かない限り、何も変更されません。
mail-footer = このメールは { $site } のために { -brand-name } から送信されました。

## アカウント所有者への通知

mail-subject-signin-failures = { -brand-name } アカウントで誤ったパスワードが入力されました
mail-notice-signin-failures = { $email } として { -brand-name } にログインする際に、誤ったパスワードが { $count } 回入力されました（ご本人かもしれません）。今後、パスワードによる試行はそのたびに少しずつ長く待つ必要があります。
mail-notice-signin-failures-safe = アカウントはロックされておらず、パスワードも変更されていません。以前にログインしたことのあるブラウザーは待つ必要がありません。
mail-notice-signin-failures-reset = 心当たりがない場合は、何もする必要はありません。パスワードを忘れた場合は、ログイン画面から再設定してください。メールのリンクを開くとすぐにログインできます。
mail-footer-notice = このメールは { -brand-name } からこのアカウントの所有者に送信されました。
