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
