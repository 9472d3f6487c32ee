# SPDX-License-Identifier: MPL-2.0

link-checking = Verificando seu link…
link-incomplete = O link está incompleto. Copie o link inteiro do e-mail.
link-failed-heading = Este link não funcionou
link-used-or-expired = Este link já foi usado ou expirou.
link-go-to-account = Ir para sua conta { -brand-name }

link-password-heading = Digite sua senha
link-new-password-heading = Escolha uma nova senha
link-save-password = Salvar senha
link-confirm = Confirmar
link-need-password = Digite sua senha.
link-wrong-password = Essa senha não está correta.

link-confirmed-heading = Seu endereço foi confirmado
link-confirmed-body = { $email } está pronto para uso.
link-confirmed-announce = Endereço confirmado.
link-reset-heading = Sua senha foi redefinida
link-reset-body = { $email } pode entrar com a nova senha.
link-reset-announce = Senha redefinida.
link-continue-elsewhere = Se você começou a entrar em um site em outra janela, o processo continuará lá. Você pode fechar esta página.
link-manage-account = Gerenciar sua conta { -brand-name }

link-return-to-site = Continuar para { $site }
