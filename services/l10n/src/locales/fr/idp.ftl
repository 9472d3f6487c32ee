# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Connexion à { -brand-name }
idp-auth-explain = { -brand-name } se porte garant de { $email }. Saisissez votre mot de passe { -brand-name } pour continuer.
idp-auth-wrong = Ce mot de passe est incorrect.
idp-auth-no-email = Cette page a besoin d’une adresse e-mail : veuillez recommencer depuis le site auquel vous vouliez vous connecter.

## /check_idp: the support-document checker

idp-check-heading = Vérifier un fournisseur d’identité
idp-check-intro = Saisissez le domaine d’un fournisseur de messagerie pour savoir s’il prend en charge BrowserID et, si son document de prise en charge pose problème, ce qu’il faut corriger. { -brand-name } récupère le document exactement comme lorsque quelqu’un utilise ce domaine.
idp-check-field-domain = Domaine
idp-check-action = Vérifier
idp-check-checking = Récupération du document de prise en charge de { $domain }…
idp-check-throttled = Trop de vérifications depuis votre réseau. Veuillez patienter une minute, puis réessayer.
idp-check-chain = Délégation : { $chain }
idp-check-detail = Détail technique : { $detail }

idp-check-severity-ok = Correct
idp-check-severity-info = Remarque
idp-check-severity-warning = Avertissement
idp-check-severity-error = Problème

idp-check-verdict-primary = { $domain } est un fournisseur d’identité BrowserID.
idp-check-verdict-secondary = { $domain } n’est pas un fournisseur d’identité : { -brand-name } se porte garant de ses adresses.
idp-check-verdict-disabled = { $domain } a désactivé BrowserID.
idp-check-verdict-broken = { $domain } ne pourra servir de fournisseur d’identité qu’une fois le problème ci-dessous corrigé.

idp-check-bad-domain = « { $domain } » n’est pas un nom de domaine. Saisissez un domaine comme example.com.
idp-check-unreachable = { $url } n’a pas pu être utilisé. Servez-le en https, avec un certificat valide, le statut 200 et un contenu JSON.
idp-check-no-document = { $domain } ne publie pas de { "/.well-known/browserid" } : ce n’est donc pas un fournisseur d’identité BrowserID. Ses utilisateurs se connectent avec un mot de passe { -brand-name }, et { -brand-name } confirme leurs adresses par e-mail.
idp-check-delegate-missing = { $domain }, à qui { $from } délègue, ne publie pas de document de prise en charge.
idp-check-bad-document = Le document de prise en charge de { $domain } est inutilisable : { $problem ->
        [too-large] il dépasse 64 Kio.
        [not-json] ce n’est pas du JSON valide.
        [not-object] ce n’est pas un objet JSON.
        [bad-authority] son champ { "\"authority\"" } n’est pas un nom de domaine.
        [missing-authentication] le champ { "\"authentication\"" } manque. Indiquez le chemin de votre page de connexion, par exemple { "/sign_in" }.
        [missing-provisioning] le champ { "\"provisioning\"" } manque. Indiquez le chemin de votre page d’approvisionnement, par exemple { "/provision" }.
        [bad-authentication-path] son champ { "\"authentication\"" } n’est pas un chemin sur le domaine : il doit commencer par { "/" } (une URL complète n’est pas admise).
        [bad-provisioning-path] son champ { "\"provisioning\"" } n’est pas un chemin sur le domaine : il doit commencer par { "/" } (une URL complète n’est pas admise).
        [missing-public-key] le champ { "\"public-key\"" } manque. Indiquez la clé publique avec laquelle votre page d’approvisionnement signe les certificats.
       *[bad-public-key] son champ { "\"public-key\"" } n’est pas une clé utilisable.
    }
idp-check-disabled = { $domain } désactive BrowserID ({ "\"disabled\": true" }) : personne ne peut se connecter avec ses adresses, pas même avec un mot de passe { -brand-name }.
idp-check-delegation-loop = La délégation tourne en boucle : { $chain }. Rompez la boucle : l’un de ces domaines doit publier sa propre clé et ses propres pages au lieu de déléguer.
idp-check-delegates = { $domain } délègue à { $authority }.
idp-check-too-many-delegations = Plus de { $max } délégations : les vérificateurs cessent de les suivre avant d’atteindre une clé. Déléguez directement au domaine qui publie la clé.
idp-check-supported = { $domain } prend en charge BrowserID.
idp-check-key = { $bits ->
        [0] Sa clé publique : { $algorithm }.
       *[other] Sa clé publique : { $algorithm }, { $bits } bits.
    }
idp-check-weak-key = Une clé RSA de { $bits } bits est faible : utilisez au moins { $min } bits.
idp-check-pages = Page de connexion : { $authentication } · Page d’approvisionnement : { $provisioning }
idp-check-same-pages = La page de connexion et la page d’approvisionnement sont une seule et même page. Il en faut deux : l’une affiche un formulaire, l’autre s’exécute en arrière-plan.
