<#-- Recovery-code page of the Group TOTP policy step: one of Keycloak's recovery codes instead of the app's code.
     A valid code completes this login and is followed by setting up a new authenticator. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('recoveryCodeInput'); section>
    <#if section = "header">
        ${msg("groupTotp.recoveryTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-recovery-intro">${msg("groupTotp.recoveryIntro")}</p>
        <form id="group-totp-recovery-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@fields.input name="recoveryCodeInput" label=msg("groupTotp.recoveryLabel") autofocus=true />
            <@fields.actions>
                <@fields.submit id="group-totp-recovery-submit" name="login" label="groupTotp.verify" />
            </@fields.actions>
            <@fields.actions>
                <@fields.submit id="group-totp-use-code" name="code" style="link" label="groupTotp.useAppCode" />
            </@fields.actions>
        </form>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
