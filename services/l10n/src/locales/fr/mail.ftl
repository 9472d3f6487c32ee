# SPDX-License-Identifier: MPL-2.0
# Verification mail, sent by the writer in the language of the browser that asked for it.

-brand-name = Persona

## Subjects

mail-subject-new = { $site } : terminez votre connexion
mail-subject-confirm = { $site } : terminez votre connexion
mail-subject-reverify = { $site } : confirmez à nouveau votre adresse e-mail
mail-subject-reset = { $site } : terminez la réinitialisation de votre mot de passe
mail-subject-transition = { $site } : terminez votre connexion

## The first paragraph

mail-intro-new = { $site } a demandé à { -brand-name } de terminer la création de votre compte pour { $email }.
mail-intro-confirm = { $site } a demandé à { -brand-name } de confirmer { $email } comme votre adresse e-mail.
mail-intro-reverify = Votre mot de passe { -brand-name } a été réinitialisé : { $email } doit donc être confirmée à nouveau avant d’être utilisée. { $site } a demandé ce message.
mail-intro-reset = { $site } a demandé à { -brand-name } de réinitialiser le mot de passe de { $email }.
mail-intro-transition = { $site } a demandé à { -brand-name } de terminer votre connexion en tant que { $email }.

mail-open-link = Pour continuer, ouvrez ce lien :
mail-button = Continuer
mail-ignore = Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer ce message : rien ne change tant que le lien n’est pas ouvert.
mail-footer = Envoyé par { -brand-name } pour { $site }.

## Avis au titulaire du compte

mail-subject-signin-failures = Mots de passe erronés pour votre compte { -brand-name }
mail-notice-signin-failures = Quelqu’un, peut-être vous, a saisi { $count } fois un mot de passe erroné en se connectant à { -brand-name } avec { $email }. Désormais, chaque nouvelle tentative avec un mot de passe devra attendre un peu plus longtemps.
mail-notice-signin-failures-safe = Votre compte n’est pas verrouillé et votre mot de passe n’a pas changé. Les navigateurs avec lesquels vous vous êtes déjà connecté ne sont pas ralentis.
mail-notice-signin-failures-reset = Si ce n’était pas vous, vous n’avez rien à faire. Si vous avez oublié votre mot de passe, réinitialisez-le depuis la fenêtre de connexion : le lien envoyé par e-mail vous connecte aussitôt.
mail-footer-notice = Envoyé par { -brand-name } au titulaire de ce compte.
