# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = { -brand-name } にログイン
idp-auth-explain = { -brand-name } が { $email } を保証します。続けるには { -brand-name } のパスワードを入力してください。
idp-auth-wrong = パスワードが正しくありません。
idp-auth-no-email = このページにはメールアドレスが必要です。ログインしようとしていたサイトから、もう一度やり直してください。

## /check_idp: the support-document checker

idp-check-heading = ID プロバイダーのチェック
idp-check-intro = メールプロバイダーのドメインを入力すると、BrowserID に対応しているかどうかと、サポート文書に問題がある場合は何を直せばよいかがわかります。{ -brand-name } は、誰かがそのドメインを使うときとまったく同じ方法で文書を取得します。
idp-check-field-domain = ドメイン
idp-check-action = チェック
idp-check-checking = { $domain } のサポート文書を取得しています…
idp-check-throttled = お使いのネットワークからのチェックが多すぎます。1 分待ってから、もう一度お試しください。
idp-check-chain = 委任: { $chain }
idp-check-detail = 技術的な詳細: { $detail }

idp-check-severity-ok = 問題なし
idp-check-severity-info = 情報
idp-check-severity-warning = 警告
idp-check-severity-error = 問題

idp-check-verdict-primary = { $domain } は BrowserID の ID プロバイダーです。
idp-check-verdict-secondary = { $domain } は ID プロバイダーではありません。このドメインのアドレスは { -brand-name } が保証します。
idp-check-verdict-disabled = { $domain } は BrowserID を無効にしています。
idp-check-verdict-broken = 下記の問題が解決されるまで、{ $domain } は ID プロバイダーとして機能できません。

idp-check-bad-domain = 「{ $domain }」はドメイン名ではありません。example.com のようなドメインを入力してください。
idp-check-unreachable = { $url } を使用できませんでした。有効な証明書を使い、https で、ステータス 200 と JSON の本文で配信してください。
idp-check-no-document = { $domain } は { "/.well-known/browserid" } を公開していないため、BrowserID の ID プロバイダーではありません。ユーザーは { -brand-name } のパスワードでログインし、{ -brand-name } がメールでアドレスを確認します。
idp-check-delegate-missing = { $from } の委任先である { $domain } は、サポート文書を公開していません。
idp-check-bad-document = { $domain } のサポート文書は使用できません。{ $problem ->
        [too-large] 64 KiB を超えています。
        [not-json] 有効な JSON ではありません。
        [not-object] JSON オブジェクトではありません。
        [bad-authority] { "\"authority\"" } がドメイン名ではありません。
        [missing-authentication] { "\"authentication\"" } がありません。ログインページのパス (例: { "/sign_in" }) を追加してください。
        [missing-provisioning] { "\"provisioning\"" } がありません。プロビジョニングページのパス (例: { "/provision" }) を追加してください。
        [bad-authentication-path] { "\"authentication\"" } がドメイン上のパスではありません。{ "/" } で始まる必要があります (完全な URL は使えません)。
        [bad-provisioning-path] { "\"provisioning\"" } がドメイン上のパスではありません。{ "/" } で始まる必要があります (完全な URL は使えません)。
        [missing-public-key] { "\"public-key\"" } がありません。プロビジョニングページが証明書の署名に使う公開鍵を追加してください。
       *[bad-public-key] { "\"public-key\"" } が使用できる鍵ではありません。
    }
idp-check-disabled = { $domain } は BrowserID を無効にしています ({ "\"disabled\": true" })。このドメインのアドレスでは、{ -brand-name } のパスワードを使ってもログインできません。
idp-check-delegation-loop = 委任がループしています: { $chain }。ループを断ち切るには、これらのドメインのいずれかが委任をやめて、自身の鍵とページを公開する必要があります。
idp-check-delegates = { $domain } は { $authority } に委任しています。
idp-check-too-many-delegations = 委任が { $max } 回を超えています。検証する側は、鍵にたどり着く前に追跡をやめてしまいます。鍵を公開しているドメインに直接委任してください。
idp-check-supported = { $domain } は BrowserID に対応しています。
idp-check-key = { $bits ->
        [0] 公開鍵: { $algorithm }。
       *[other] 公開鍵: { $algorithm }、{ $bits } ビット。
    }
idp-check-weak-key = { $bits } ビットの RSA 鍵は強度が不十分です。{ $min } ビット以上の鍵を使用してください。
idp-check-pages = ログインページ: { $authentication } · プロビジョニングページ: { $provisioning }
idp-check-same-pages = ログインページとプロビジョニングページが同じページになっています。フォームを表示するページと、非表示で動作するページの 2 つが必要です。
