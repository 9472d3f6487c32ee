# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = Entre com seu endereço de e-mail
dialog-legal = Ao continuar, você concorda com os { $terms } e a { $privacy } de { $site }.
dialog-legal-terms = Termos de Serviço
dialog-legal-privacy = Política de Privacidade

dialog-add-heading = Adicionar um endereço de e-mail
dialog-add-submit = Adicionar

dialog-password-heading = Digite sua senha
dialog-error-wrong-password = Essa senha não está correta.
dialog-error-locked = Senhas incorretas demais para esta conta. Aguarde um momento e tente de novo, ou redefina sua senha.
dialog-confirmed-enter-password = Seu endereço foi confirmado. Digite sua senha para terminar de entrar.

dialog-new-password-heading = Crie uma senha
dialog-choose-password-heading = Escolha uma senha
dialog-create-account = Criar conta

## "Remember you?"

dialog-computer-heading = Lembrar de você?
dialog-computer-question = Por quanto tempo você quer continuar conectado ao { -brand-name }?
dialog-computer-mine = Um mês
dialog-computer-mine-hint = Eu confio neste computador.
dialog-computer-not-mine = Só nesta sessão
dialog-computer-not-mine-hint = Este computador não é meu: desconecte-me em até uma hora.
dialog-computer-fine = Você pode sair do { -brand-name } a qualquer momento.
dialog-computer-announce = Você entrou. Por quanto tempo quer continuar conectado?
dialog-computer-remembering = Salvando sua escolha…

## Waiting for the emailed link

dialog-check-email-heading = Verifique seu e-mail
dialog-check-email-sent = Enviamos uma mensagem para { $email }.
dialog-check-email-confirm = Clique no link da mensagem para confirmar o endereço. Esta janela continuará sozinha.
dialog-check-email-reset = Clique no link da mensagem para escolher uma nova senha.
dialog-check-email-announce = E-mail enviado para { $email }. Aguardando você clicar no link.

## Choosing an address

dialog-pick-heading = Entrar em { $site }
dialog-pick-legend = Escolha um endereço de e-mail
dialog-pick-add = Adicionar outro endereço de e-mail
dialog-pick-not-me = Não sou eu
dialog-pick-none = Escolha um endereço.

## Primary identity providers

dialog-provisioning-heading = Consultando { $issuer }

## Done

dialog-signed-in-heading = Você entrou
dialog-signed-in-body = Entrando em { $site } como { $email }…

## Errors

dialog-error-heading = Algo deu errado
dialog-error-start-again = Não funcionou. Comece de novo.
dialog-error-no-opener = Esta janela deve ser aberta por um site que usa o { -brand-name }.
dialog-error-bad-redirect = Este link de acesso não é válido. Volte e tente novamente.
dialog-error-idp-offline = O provedor de identidade de { $email } está fora do ar no momento. Tente novamente mais tarde.

## Re-verification

dialog-reverify-heading = Confirme seu endereço novamente
dialog-reverify-explain = Sua senha foi redefinida, então { $email } precisa ser confirmado novamente antes de ser usado. Vamos enviar uma mensagem com um link para esse endereço.
dialog-reverify-send = Enviar o e-mail
dialog-check-email-reverify = Clique no link da mensagem para confirmar o endereço novamente. Esta janela continuará sozinha.

## Cookies disabled

dialog-cookies-heading = O { -brand-name } precisa de cookies
dialog-cookies-explain = Seu navegador não deixa o { -brand-name } guardar um cookie, então ele não consegue lembrar que você está entrando. Permita cookies para { $persona } nas configurações do navegador e tente novamente.
