# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Entrar no { -brand-name }
idp-auth-explain = O { -brand-name } garante { $email }. Digite sua senha do { -brand-name } para continuar.
idp-auth-wrong = Essa senha não está correta.
idp-auth-no-email = Esta página precisa de um endereço de e-mail: comece de novo a partir do site em que você queria entrar.
