<#-- Recovery-code page of the Group TOTP policy step: one of Keycloak's recovery codes instead of the app's code.
     A valid code completes this login and is followed by setting up a new authenticator. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('recoveryCodeInput'); section>
    <#if section = "header">
        ${msg("groupTotp.recoveryTitle")}
    <#elseif section = "form">
        <p id="group-totp-recovery-intro">${msg("groupTotp.recoveryIntro")}</p>
        <form id="group-totp-recovery-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.input name="recoveryCodeInput" label=msg("groupTotp.recoveryLabel") autofocus=true />
            <@buttons.actionGroup>
                <@buttons.button id="group-totp-recovery-submit" name="login" label="groupTotp.verify" />
            </@buttons.actionGroup>
            <@buttons.actionGroup>
                <@buttons.button id="group-totp-use-code" name="code" type="link" label="groupTotp.useAppCode" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
