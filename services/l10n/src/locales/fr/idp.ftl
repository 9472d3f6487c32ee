# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Connexion à { -brand-name }
idp-auth-explain = { -brand-name } se porte garant de { $email }. Saisissez votre mot de passe { -brand-name } pour continuer.
idp-auth-wrong = Ce mot de passe est incorrect.
idp-auth-no-email = Cette page a besoin d’une adresse e-mail : veuillez recommencer depuis le site auquel vous vouliez vous connecter.
