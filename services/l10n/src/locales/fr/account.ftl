# SPDX-License-Identifier: MPL-2.0

account-signin-heading = Connexion à votre compte { -brand-name }
account-signin-primary-hint = Si votre fournisseur de messagerie prend en charge { -brand-name }, laissez le mot de passe vide : vous vous connecterez auprès de votre fournisseur.
account-signin-mismatch = Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte.
account-forgot-need-email = Saisissez d’abord votre adresse e-mail.
account-forgot-sent = Nous avons envoyé un message à { $email }. Cliquez sur le lien qu’il contient pour choisir un nouveau mot de passe.

account-heading = Votre compte { -brand-name }
account-emails-heading = Vos adresses e-mail
account-remove = Supprimer
account-remove-label = Supprimer { $email }
account-remove-confirm = Supprimer { $email } de votre compte ?
account-removed = { $email } a été supprimée.

account-add-heading = Ajouter une adresse e-mail
account-add-choose-password = Choisissez un mot de passe
account-add-submit = Ajouter l’adresse
account-check-email-heading = Consultez vos e-mails
account-check-email-add = Nous avons envoyé un message à { $email }. Cliquez sur le lien qu’il contient pour ajouter l’adresse.
account-email-sent = E-mail envoyé à { $email }.
account-back = Retour à votre compte
account-added = { $email } a été ajoutée.
account-add-failed = { $email } n’a pas pu être ajoutée.

account-password-heading = Changer votre mot de passe
account-password-submit = Changer le mot de passe
account-password-changing = Changement de votre mot de passe…
account-password-wrong = Le mot de passe actuel est incorrect.
account-password-changed = Votre mot de passe a été changé.

account-cancel-heading = Supprimer votre compte
account-cancel-explain = Toutes les adresses seront retirées et le compte sera effacé. Cette action est irréversible.
account-cancel-confirm = Oui, supprimer mon compte
account-cancel-submit = Supprimer le compte
account-cancel-tick = Cochez la case pour confirmer.
account-cancelling = Suppression de votre compte…
account-cancelled = Votre compte a été supprimé.
account-signed-out = Vous êtes déconnecté.

## Re-verification

account-unverified = Non confirmée
account-reverify = Confirmer à nouveau
account-reverify-label = Confirmer à nouveau { $email }
account-reverify-sent = Nous avons envoyé un message à { $email }. Cliquez sur le lien qu’il contient pour confirmer à nouveau l’adresse.
account-reverified = { $email } est confirmée.
account-unverified-hint = Après une réinitialisation du mot de passe, vos autres adresses doivent être confirmées à nouveau avant d’être utilisées.
