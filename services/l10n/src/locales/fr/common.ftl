# SPDX-License-Identifier: MPL-2.0
# Français (vouvoiement). Glossaire : glossary.json.

-brand-name = Persona

## Page shells

page-title-account = Votre compte { -brand-name }
page-title-sign-in = Connexion · { -brand-name }
page-title-sign-in-to = Connexion à { $site } · { -brand-name }
page-title-confirm = Confirmer votre adresse e-mail · { -brand-name }
page-title-reset = Réinitialiser votre mot de passe · { -brand-name }
page-title-not-found = Page introuvable · { -brand-name }
page-title-check-idp = Vérifier un fournisseur d’identité · { -brand-name }
shell-sign-in-to = Connexion à
shell-footer = { -brand-name } · votre adresse e-mail est votre identité
shell-brand = { -brand-name }
not-found-heading = Page introuvable
not-found-body = Il n’y a rien à cette adresse.
not-found-link = Accéder à votre compte { -brand-name }

## Form fields

field-email = Adresse e-mail
field-new-email = Nouvelle adresse e-mail
field-password = Mot de passe
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
field-repeat-password = Confirmez le mot de passe
field-repeat-new-password = Confirmez le nouveau mot de passe

## Buttons

action-next = Suivant
action-continue = Continuer
action-cancel = Annuler
action-back = Retour
action-sign-in = Se connecter
action-sign-out = Se déconnecter
action-try-again = Réessayer
action-forgot-password = Mot de passe oublié ?
action-use-another = Utiliser une autre adresse

## Progress

status-loading = Chargement
status-checking-address = Vérification de votre adresse…
status-signing-in = Connexion en cours…
status-signing-out = Déconnexion en cours…
status-sending-email = Envoi d’un e-mail…
status-saving = Enregistrement…
status-signed-in-as = Connecté en tant que { $email }.

## Passwords

password-hint = De 8 à 80 caractères.
password-too-short = Le mot de passe doit comporter au moins 8 caractères.
password-too-long = Le mot de passe doit comporter au plus 80 caractères.
password-length = Le mot de passe doit comporter de 8 à 80 caractères.
password-mismatch = Les mots de passe ne correspondent pas.

## Errors

error-email-invalid = Veuillez saisir une adresse e-mail valide.
error-throttled = Trop d’e-mails ont été envoyés à cette adresse. Veuillez réessayer dans une minute.
error-busy = { -brand-name } est très sollicité en ce moment. Veuillez réessayer.
error-network = Impossible de joindre { -brand-name }. Vérifiez votre connexion et réessayez.
error-generic = Une erreur s’est produite. Veuillez réessayer.
error-signed-out = Vous n’êtes plus connecté. Veuillez recommencer.
error-no-such-address = Aucun compte n’utilise cette adresse e-mail.
error-already-verified = Cette adresse e-mail est déjà confirmée.
error-not-yours = Cette adresse e-mail n’appartient pas à votre compte.
error-needs-reverify = Cette adresse e-mail doit être confirmée à nouveau avant de pouvoir être utilisée.
error-cookies = Votre navigateur n’a pas conservé le cookie de { -brand-name }. Autorisez les cookies pour ce site et réessayez.

## Primary identity providers

primary-heading = Se connecter avec { $issuer }
primary-managed = { $email } est gérée par { $issuer }.
primary-explain = Connectez-vous sur { $issuer } pour confirmer votre identité ; vous reviendrez ensuite ici.
primary-continue = Continuer vers { $issuer }
primary-asking = Demande à { $issuer } de confirmer { $email }…
primary-failed = { $issuer } n’a pas pu vous connecter. Veuillez réessayer plus tard.
primary-cancelled = { $issuer } ne vous a pas connecté.
primary-no-pages = { $issuer } n’a pas indiqué où se connecter.
