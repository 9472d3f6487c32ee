# SPDX-License-Identifier: MPL-2.0

link-checking = Vérification de votre lien…
link-incomplete = Le lien est incomplet. Veuillez copier le lien entier depuis l’e-mail.
link-failed-heading = Ce lien n’a pas fonctionné
link-used-or-expired = Ce lien a déjà été utilisé ou a expiré.
link-go-to-account = Accéder à votre compte { -brand-name }

link-password-heading = Saisissez votre mot de passe
link-new-password-heading = Choisissez un nouveau mot de passe
link-save-password = Enregistrer le mot de passe
link-confirm = Confirmer
link-need-password = Veuillez saisir votre mot de passe.
link-wrong-password = Ce mot de passe est incorrect.

link-confirmed-heading = Votre adresse est confirmée
link-confirmed-body = { $email } est prête à l’emploi.
link-confirmed-announce = Adresse confirmée.
link-reset-heading = Votre mot de passe est réinitialisé
link-reset-body = { $email } peut se connecter avec le nouveau mot de passe.
link-reset-announce = Mot de passe réinitialisé.
link-continue-elsewhere = Si vous avez commencé à vous connecter à un site dans une autre fenêtre, la connexion s’y poursuivra. Vous pouvez fermer cette page.
link-manage-account = Gérer votre compte { -brand-name }

link-return-to-site = Continuer vers { $site }
