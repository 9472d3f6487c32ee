# SPDX-License-Identifier: MPL-2.0

account-signin-heading = Entre na sua conta { -brand-name }
account-signin-primary-hint = Se o seu provedor de e-mail for compatível com o { -brand-name }, deixe a senha em branco: você entrará pelo seu provedor.
account-signin-mismatch = Esse endereço de e-mail e essa senha não correspondem a nenhuma conta.
account-forgot-need-email = Digite primeiro seu endereço de e-mail.
account-forgot-sent = Enviamos uma mensagem para { $email }. Clique no link da mensagem para escolher uma nova senha.

account-heading = Sua conta { -brand-name }
account-emails-heading = Seus endereços de e-mail
account-remove = Remover
account-remove-label = Remover { $email }
account-remove-confirm = Remover { $email } da sua conta?
account-removed = { $email } foi removido.

account-add-heading = Adicionar um endereço de e-mail
account-add-choose-password = Escolha uma senha
account-add-submit = Adicionar endereço
account-check-email-heading = Verifique seu e-mail
account-check-email-add = Enviamos uma mensagem para { $email }. Clique no link da mensagem para adicionar o endereço.
account-email-sent = E-mail enviado para { $email }.
account-back = Voltar para sua conta
account-added = { $email } foi adicionado.
account-add-failed = Não foi possível adicionar { $email }.

account-password-heading = Altere sua senha
account-password-submit = Alterar senha
account-password-changing = Alterando sua senha…
account-password-wrong = A senha atual não está correta.
account-password-changed = Sua senha foi alterada.

account-cancel-heading = Excluir sua conta
account-cancel-explain = Isso remove todos os endereços e apaga a conta. Não é possível desfazer.
account-cancel-confirm = Sim, excluir minha conta
account-cancel-submit = Excluir conta
account-cancel-tick = Marque a caixa para confirmar.
account-cancelling = Excluindo sua conta…
account-cancelled = Sua conta foi excluída.
account-signed-out = Você saiu.

## Re-verification

account-unverified = Não confirmado
account-reverify = Confirmar novamente
account-reverify-label = Confirmar { $email } novamente
account-reverify-sent = Enviamos uma mensagem para { $email }. Clique no link da mensagem para confirmar o endereço novamente.
account-reverified = { $email } foi confirmado.
account-unverified-hint = Depois que a senha é redefinida, seus outros endereços precisam ser confirmados novamente antes de serem usados.
