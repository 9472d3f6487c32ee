# SPDX-License-Identifier: MPL-2.0

dialog-email-heading = Connectez-vous avec votre adresse e-mail
dialog-legal = En continuant, vous acceptez les { $terms } et la { $privacy } de { $site }.
dialog-legal-terms = conditions d’utilisation
dialog-legal-privacy = politique de confidentialité

dialog-add-heading = Ajouter une adresse e-mail
dialog-add-submit = Ajouter

dialog-password-heading = Saisissez votre mot de passe
dialog-error-wrong-password = Ce mot de passe est incorrect.
dialog-error-locked = Trop de mots de passe erronés pour ce compte. Patientez un instant et réessayez, ou réinitialisez votre mot de passe.
dialog-confirmed-enter-password = Votre adresse est confirmée. Saisissez votre mot de passe pour terminer la connexion.

dialog-new-password-heading = Créez un mot de passe
dialog-choose-password-heading = Choisissez un mot de passe
dialog-create-account = Créer le compte

## "Remember you?"

dialog-computer-heading = Rester connecté ?
dialog-computer-question = Combien de temps souhaitez-vous rester connecté à { -brand-name } ?
dialog-computer-mine = Un mois
dialog-computer-mine-hint = Je fais confiance à cet ordinateur.
dialog-computer-not-mine = Cette session uniquement
dialog-computer-not-mine-hint = Ce n’est pas mon ordinateur : déconnectez-moi d’ici une heure.
dialog-computer-fine = Vous pouvez vous déconnecter de { -brand-name } à tout moment.
dialog-computer-announce = Connecté. Combien de temps souhaitez-vous rester connecté ?
dialog-computer-remembering = Enregistrement de votre choix…

## Waiting for the emailed link

dialog-check-email-heading = Consultez vos e-mails
dialog-check-email-sent = Nous avons envoyé un message à { $email }.
dialog-check-email-confirm = Cliquez sur le lien qu’il contient pour confirmer l’adresse. Cette fenêtre continuera d’elle-même.
dialog-check-email-reset = Cliquez sur le lien qu’il contient pour choisir un nouveau mot de passe.
dialog-check-email-announce = E-mail envoyé à { $email }. En attente de votre clic sur le lien.

## Choosing an address

dialog-pick-heading = Connexion à { $site }
dialog-pick-legend = Choisissez une adresse e-mail
dialog-pick-add = Ajouter une autre adresse e-mail
dialog-pick-not-me = Ce n’est pas moi
dialog-pick-none = Veuillez choisir une adresse.

## Primary identity providers

dialog-provisioning-heading = Vérification auprès de { $issuer }

## Done

dialog-signed-in-heading = Connecté
dialog-signed-in-body = Connexion à { $site } en tant que { $email }…

## Errors

dialog-error-heading = Une erreur s’est produite
dialog-error-start-again = Cela n’a pas fonctionné. Veuillez recommencer.
dialog-error-no-opener = Cette fenêtre doit être ouverte par un site qui utilise { -brand-name }.
dialog-error-bad-redirect = Ce lien de connexion n’est pas valide. Veuillez revenir en arrière et réessayer.
dialog-error-idp-offline = Le fournisseur d’identité de { $email } est hors ligne pour le moment. Veuillez réessayer plus tard.

## Re-verification

dialog-reverify-heading = Confirmez à nouveau votre adresse
dialog-reverify-explain = Votre mot de passe a été réinitialisé : { $email } doit donc être confirmée à nouveau avant de pouvoir être utilisée. Nous allons envoyer un message contenant un lien à cette adresse.
dialog-reverify-send = Envoyer l’e-mail
dialog-check-email-reverify = Cliquez sur le lien qu’il contient pour confirmer à nouveau l’adresse. Cette fenêtre continuera d’elle-même.

## Cookies disabled

dialog-cookies-heading = { -brand-name } a besoin des cookies
dialog-cookies-explain = Votre navigateur ne permet pas à { -brand-name } de conserver un cookie : { -brand-name } ne peut donc pas se souvenir de votre connexion en cours. Autorisez les cookies pour { $persona } dans les paramètres de votre navigateur, puis réessayez.
