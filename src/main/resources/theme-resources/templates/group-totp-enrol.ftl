<#-- Enrolment page of the Group TOTP policy step: QR code, the key as text, an otpauth:// link and one code field.
     The secret is kept server-side; the form posts only the code. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('otp'); section>
    <#if section = "header">
        ${msg("groupTotp.enrolTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-enrol-intro">${msg("groupTotp.enrolIntro")}</p>
        <ol id="group-totp-enrol-steps" class="pf-v5-c-list pf-v5-u-mb-md">
            <li>
                <p>${msg("groupTotp.enrolStepInstall")}</p>
                <ul id="kc-totp-supported-apps" class="pf-v5-c-list">
                    <#list enrolment.supportedApplications as app>
                        <li>${msg(app)}</li>
                    </#list>
                </ul>
            </li>
            <li>
                <p>${msg("groupTotp.enrolStepScan")}</p>
                <img id="kc-totp-secret-qr-code" src="data:image/png;base64, ${enrolment.totpSecretQrCode}" alt="${msg("groupTotp.qrAlt")}">
                <p>${msg("groupTotp.enrolOnThisPhone")} <a id="group-totp-otpauth-link" href="${otpauthUri}">${msg("groupTotp.enrolOpenApp")}</a></p>
                <p>${msg("groupTotp.enrolManualKey")}</p>
                <p><span class="pf-v5-screen-reader">${msg("groupTotp.enrolKeyLabel")}: </span><code id="kc-totp-secret-key">${enrolment.totpSecretEncoded}</code></p>
                <#if enrolment.policy.type = "totp">
                    <p id="group-totp-settings">${msg("groupTotp.enrolSettings", enrolment.policy.getAlgorithmKey(), enrolment.policy.digits, enrolment.policy.period)}</p>
                </#if>
            </li>
            <li>
                <p>${msg("groupTotp.enrolStepCode", enrolment.policy.digits)}</p>
            </li>
        </ol>
        <form id="group-totp-enrol-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@fields.input name="otp" label=msg("groupTotp.codeLabel") autocomplete="one-time-code" numeric=true autofocus=true />
            <@fields.actions>
                <@fields.submit id="group-totp-confirm" name="confirm" label="groupTotp.confirm" />
            </@fields.actions>
            <#if (groupTotpChoices![])?has_content>
                <@fields.actions>
                    <#list groupTotpChoices as factor>
                        <#if factor != "otp">
                            <@fields.submit id="group-totp-enrol-${factor}" name="factor" value=factor style="link" label="groupTotp.setUpInstead.${factor}" />
                        </#if>
                    </#list>
                </@fields.actions>
            </#if>
        </form>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
