# SPDX-License-Identifier: MPL-2.0
# Português do Brasil (você). Glossário: glossary.json.

-brand-name = Persona

## Page shells

page-title-account = Sua conta { -brand-name }
page-title-sign-in = Entrar · { -brand-name }
page-title-sign-in-to = Entrar em { $site } · { -brand-name }
page-title-confirm = Confirme seu endereço de e-mail · { -brand-name }
page-title-reset = Redefina sua senha · { -brand-name }
page-title-not-found = Página não encontrada · { -brand-name }
page-title-check-idp = Verificar um provedor de identidade · { -brand-name }
shell-sign-in-to = Entrar em
shell-footer = { -brand-name } · seu endereço de e-mail é sua identidade
shell-brand = { -brand-name }
not-found-heading = Página não encontrada
not-found-body = Não há nada neste endereço.
not-found-link = Ir para sua conta { -brand-name }

## Form fields

field-email = Endereço de e-mail
field-new-email = Novo endereço de e-mail
field-password = Senha
field-current-password = Senha atual
field-new-password = Nova senha
field-repeat-password = Repita a senha
field-repeat-new-password = Repita a nova senha

## Buttons

action-next = Avançar
action-continue = Continuar
action-cancel = Cancelar
action-back = Voltar
action-sign-in = Entrar
action-sign-out = Sair
action-try-again = Tentar novamente
action-forgot-password = Esqueceu a senha?
action-use-another = Usar outro endereço

## Progress

status-loading = Carregando
status-checking-address = Verificando seu endereço…
status-signing-in = Entrando…
status-signing-out = Saindo…
status-sending-email = Enviando um e-mail para você…
status-saving = Salvando…
status-signed-in-as = Você entrou como { $email }.

## Passwords

password-hint = De 8 a 80 caracteres.
password-too-short = A senha deve ter pelo menos 8 caracteres.
password-too-long = A senha deve ter no máximo 80 caracteres.
password-length = A senha deve ter de 8 a 80 caracteres.
password-mismatch = As senhas não coincidem.

## Errors

error-email-invalid = Digite um endereço de e-mail válido.
error-throttled = Foram enviados e-mails demais para esse endereço. Tente novamente daqui a um minuto.
error-busy = O { -brand-name } está sobrecarregado no momento. Tente novamente.
error-network = Não foi possível acessar o { -brand-name }. Verifique sua conexão e tente novamente.
error-generic = Algo deu errado. Tente novamente.
error-signed-out = Você não está mais conectado. Comece de novo.
error-no-such-address = Não existe conta com esse endereço de e-mail.
error-already-verified = Esse endereço de e-mail já está confirmado.
error-not-yours = Esse endereço de e-mail não pertence à sua conta.
error-needs-reverify = Esse endereço de e-mail precisa ser confirmado novamente antes de ser usado.
error-cookies = Seu navegador não guardou o cookie do { -brand-name }. Permita cookies para este site e tente novamente.

## Primary identity providers

primary-heading = Entrar com { $issuer }
primary-managed = { $email } é gerenciado por { $issuer }.
primary-explain = Entre em { $issuer } para confirmar que é você; depois você voltará para cá.
primary-continue = Continuar para { $issuer }
primary-asking = Pedindo a { $issuer } que confirme { $email }…
primary-failed = { $issuer } não conseguiu fazer você entrar. Tente novamente mais tarde.
primary-cancelled = { $issuer } não fez você entrar.
primary-no-pages = { $issuer } não informou onde entrar.
