# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Entrar no { -brand-name }
idp-auth-explain = O { -brand-name } garante { $email }. Digite sua senha do { -brand-name } para continuar.
idp-auth-wrong = Essa senha não está correta.
idp-auth-no-email = Esta página precisa de um endereço de e-mail: comece de novo a partir do site em que você queria entrar.

## /check_idp: the support-document checker

idp-check-heading = Verificar um provedor de identidade
idp-check-intro = Digite o domínio de um provedor de e-mail para saber se ele oferece suporte ao BrowserID e, se o documento de suporte tiver algum problema, o que corrigir. O { -brand-name } busca o documento exatamente como faz quando alguém usa esse domínio.
idp-check-field-domain = Domínio
idp-check-action = Verificar
idp-check-checking = Buscando o documento de suporte de { $domain }…
idp-check-throttled = Verificações demais a partir da sua rede. Aguarde um minuto e tente novamente.
idp-check-chain = Delegação: { $chain }
idp-check-detail = Detalhe técnico: { $detail }

idp-check-severity-ok = Tudo certo
idp-check-severity-info = Observação
idp-check-severity-warning = Aviso
idp-check-severity-error = Problema

idp-check-verdict-primary = { $domain } é um provedor de identidade BrowserID.
idp-check-verdict-secondary = { $domain } não é um provedor de identidade: o { -brand-name } garante os endereços dele.
idp-check-verdict-disabled = { $domain } desativou o BrowserID.
idp-check-verdict-broken = { $domain } só poderá funcionar como provedor de identidade depois que o problema abaixo for corrigido.

idp-check-bad-domain = “{ $domain }” não é um nome de domínio. Digite um domínio como example.com.
idp-check-unreachable = Não foi possível usar { $url }. Sirva-o por https, com um certificado válido, status 200 e um corpo JSON.
idp-check-no-document = { $domain } não publica nenhum { "/.well-known/browserid" }, então não é um provedor de identidade BrowserID: os usuários dele entram com uma senha do { -brand-name }, e o { -brand-name } confirma os endereços deles por e-mail.
idp-check-delegate-missing = { $domain }, para o qual { $from } delega, não publica nenhum documento de suporte.
idp-check-bad-document = O documento de suporte de { $domain } não pode ser usado: { $problem ->
        [too-large] ele tem mais de 64 KiB.
        [not-json] ele não é um JSON válido.
        [not-object] ele não é um objeto JSON.
        [bad-authority] o campo { "\"authority\"" } não é um nome de domínio.
        [missing-authentication] falta o campo { "\"authentication\"" }. Informe o caminho da sua página de entrada, por exemplo { "/sign_in" }.
        [missing-provisioning] falta o campo { "\"provisioning\"" }. Informe o caminho da sua página de provisionamento, por exemplo { "/provision" }.
        [bad-authentication-path] o campo { "\"authentication\"" } não é um caminho no domínio: ele deve começar com { "/" } (uma URL completa não é aceita).
        [bad-provisioning-path] o campo { "\"provisioning\"" } não é um caminho no domínio: ele deve começar com { "/" } (uma URL completa não é aceita).
        [missing-public-key] falta o campo { "\"public-key\"" }. Informe a chave pública com que sua página de provisionamento assina os certificados.
       *[bad-public-key] o campo { "\"public-key\"" } não é uma chave utilizável.
    }
idp-check-disabled = { $domain } desativa o BrowserID ({ "\"disabled\": true" }): ninguém pode entrar com os endereços dele, nem mesmo com uma senha do { -brand-name }.
idp-check-delegation-loop = A delegação anda em círculos: { $chain }. Quebre o círculo: um desses domínios deve publicar a própria chave e as próprias páginas em vez de delegar.
idp-check-delegates = { $domain } delega para { $authority }.
idp-check-too-many-delegations = Mais de { $max } delegações: os verificadores param de segui-las antes de chegar a uma chave. Delegue diretamente para o domínio que publica a chave.
idp-check-supported = { $domain } oferece suporte ao BrowserID.
idp-check-key = { $bits ->
        [0] A chave pública dele: { $algorithm }.
       *[other] A chave pública dele: { $algorithm }, { $bits } bits.
    }
idp-check-weak-key = Uma chave RSA de { $bits } bits é fraca: use pelo menos { $min } bits.
idp-check-pages = Página de entrada: { $authentication } · Página de provisionamento: { $provisioning }
idp-check-same-pages = A página de entrada e a de provisionamento são a mesma página. Deveriam ser duas: uma mostra um formulário, a outra roda escondida.
