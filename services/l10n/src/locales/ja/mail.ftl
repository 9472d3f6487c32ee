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
