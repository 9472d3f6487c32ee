# SPDX-License-Identifier: MPL-2.0
# Persona's own identity provider pages (/provision, /auth) and the support-document checker.

idp-auth-heading = Bei { -brand-name } anmelden
idp-auth-explain = { -brand-name } bürgt für { $email }. Geben Sie Ihr { -brand-name }-Passwort ein, um fortzufahren.
idp-auth-wrong = Das Passwort ist nicht richtig.
idp-auth-no-email = Diese Seite braucht eine E-Mail-Adresse: Bitte beginnen Sie erneut auf der Website, bei der Sie sich anmelden wollten.

## /check_idp: the support-document checker

idp-check-heading = Identitätsanbieter prüfen
idp-check-intro = Geben Sie die Domain eines E-Mail-Anbieters ein, um zu sehen, ob er BrowserID unterstützt und, falls sein Unterstützungsdokument ein Problem hat, was zu korrigieren ist. { -brand-name } ruft das Dokument genau so ab, wie es das tut, wenn jemand die Domain verwendet.
idp-check-field-domain = Domainname
idp-check-action = Prüfen
idp-check-checking = Das Unterstützungsdokument von { $domain } wird abgerufen…
idp-check-throttled = Zu viele Prüfungen aus Ihrem Netzwerk. Bitte warten Sie eine Minute und versuchen Sie es dann erneut.
idp-check-chain = Delegierung: { $chain }
idp-check-detail = Technisches Detail: { $detail }

idp-check-severity-ok = In Ordnung
idp-check-severity-info = Hinweis
idp-check-severity-warning = Warnung
idp-check-severity-error = Fehler

idp-check-verdict-primary = { $domain } ist ein BrowserID-Identitätsanbieter.
idp-check-verdict-secondary = { $domain } ist kein Identitätsanbieter: { -brand-name } bürgt für seine Adressen.
idp-check-verdict-disabled = { $domain } hat BrowserID abgeschaltet.
idp-check-verdict-broken = { $domain } kann erst als Identitätsanbieter dienen, wenn das unten genannte Problem behoben ist.

idp-check-bad-domain = „{ $domain }“ ist kein Domainname. Geben Sie eine Domain wie example.com ein.
idp-check-unreachable = { $url } war nicht verwendbar. Liefern Sie es über https aus, mit gültigem Zertifikat, Status 200 und einem JSON-Inhalt.
idp-check-no-document = { $domain } veröffentlicht kein { "/.well-known/browserid" } und ist daher kein BrowserID-Identitätsanbieter: Seine Nutzer melden sich mit einem { -brand-name }-Passwort an, und { -brand-name } bestätigt ihre Adressen per E-Mail.
idp-check-delegate-missing = { $domain }, an das { $from } delegiert, veröffentlicht kein Unterstützungsdokument.
idp-check-bad-document = Das Unterstützungsdokument von { $domain } ist nicht verwendbar: { $problem ->
        [too-large] Es ist größer als 64 KiB.
        [not-json] Es ist kein gültiges JSON.
        [not-object] Es ist kein JSON-Objekt.
        [bad-authority] Sein Feld { "\"authority\"" } ist kein Domainname.
        [missing-authentication] Das Feld { "\"authentication\"" } fehlt. Tragen Sie den Pfad Ihrer Anmeldeseite ein, zum Beispiel { "/sign_in" }.
        [missing-provisioning] Das Feld { "\"provisioning\"" } fehlt. Tragen Sie den Pfad Ihrer Bereitstellungsseite ein, zum Beispiel { "/provision" }.
        [bad-authentication-path] Sein Feld { "\"authentication\"" } ist kein Pfad auf der Domain: Es muss mit { "/" } beginnen (eine vollständige URL ist nicht erlaubt).
        [bad-provisioning-path] Sein Feld { "\"provisioning\"" } ist kein Pfad auf der Domain: Es muss mit { "/" } beginnen (eine vollständige URL ist nicht erlaubt).
        [missing-public-key] Das Feld { "\"public-key\"" } fehlt. Tragen Sie den öffentlichen Schlüssel ein, mit dem Ihre Bereitstellungsseite Zertifikate signiert.
       *[bad-public-key] Sein Feld { "\"public-key\"" } ist kein verwendbarer Schlüssel.
    }
idp-check-disabled = { $domain } schaltet BrowserID ab ({ "\"disabled\": true" }): Niemand kann sich mit seinen Adressen anmelden, auch nicht mit einem { -brand-name }-Passwort.
idp-check-delegation-loop = Die Delegierung läuft im Kreis: { $chain }. Durchbrechen Sie den Kreis: Eine dieser Domains muss ihren eigenen Schlüssel und ihre eigenen Seiten veröffentlichen, statt zu delegieren.
idp-check-delegates = { $domain } delegiert an { $authority }.
idp-check-too-many-delegations = Mehr als { $max } Delegierungen: Verifizierer folgen ihnen nicht bis zu einem Schlüssel. Delegieren Sie direkt an die Domain, die den Schlüssel veröffentlicht.
idp-check-supported = { $domain } unterstützt BrowserID.
idp-check-key = { $bits ->
        [0] Sein öffentlicher Schlüssel: { $algorithm }.
       *[other] Sein öffentlicher Schlüssel: { $algorithm }, { $bits } Bit.
    }
idp-check-weak-key = Ein RSA-Schlüssel mit { $bits } Bit ist schwach: Verwenden Sie mindestens { $min } Bit.
idp-check-pages = Anmeldeseite: { $authentication } · Bereitstellungsseite: { $provisioning }
idp-check-same-pages = Anmeldeseite und Bereitstellungsseite sind dieselbe Seite. Es sollten zwei sein: Die eine zeigt ein Formular, die andere läuft unsichtbar.
