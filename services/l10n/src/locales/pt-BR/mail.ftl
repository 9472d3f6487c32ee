# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site }: conclua o acesso
mail-subject-confirm = { $site }: conclua o acesso
mail-subject-reverify = { $site }: confirme novamente seu endereço de e-mail
mail-subject-reset = { $site }: conclua a redefinição de senha
mail-subject-transition = { $site }: conclua o acesso

## The first paragraph

mail-intro-new = { $site } pediu ao { -brand-name } para concluir a criação da sua conta para { $email }.
mail-intro-confirm = { $site } pediu ao { -brand-name } para confirmar { $email } como seu endereço de e-mail.
mail-intro-reverify = Sua senha do { -brand-name } foi redefinida, então { $email } precisa ser confirmado novamente antes de ser usado. { $site } pediu esta mensagem.
mail-intro-reset = { $site } pediu ao { -brand-name } para redefinir a senha de { $email }.
mail-intro-transition = { $site } pediu ao { -brand-name } para concluir sua entrada como { $email }.

mail-open-link = Para continuar, abra este link:
mail-button = Continuar
mail-ignore = Se você não pediu isso, pode ignorar esta mensagem: nada muda enquanto o link não for aberto.
mail-footer = Enviado pelo { -brand-name } para { $site }.

## Aviso ao titular da conta

mail-subject-signin-failures = Senhas incorretas na sua conta do { -brand-name }
mail-notice-signin-failures = Alguém, talvez você, digitou { $count } vezes uma senha incorreta ao entrar no { -brand-name } como { $email }. A partir de agora, cada nova tentativa com senha terá de esperar um pouco mais.
mail-notice-signin-failures-safe = Sua conta não está bloqueada e sua senha não mudou. Os navegadores com que você já entrou antes não precisam esperar.
mail-notice-signin-failures-reset = Se não foi você, não precisa fazer nada. Se você esqueceu a senha, redefina-a na janela de entrada: o link enviado por e-mail faz você entrar na hora.
mail-footer-notice = Enviado pelo { -brand-name } ao titular desta conta.
