<#-- Code page of the Group TOTP policy step. Extends the active login theme (keycloak.v2 look). -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('otp'); section>
    <#if section = "header">
        ${msg("groupTotp.codeTitle")}
    <#elseif section = "form">
        <p id="group-totp-code-intro">${msg("groupTotp.codeIntro")}</p>
        <form id="group-totp-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.input name="otp" label=msg("groupTotp.codeLabel") autocomplete="one-time-code" autofocus=true />
            <@buttons.actionGroup>
                <@buttons.button id="kc-login" name="login" label="groupTotp.verify" />
            </@buttons.actionGroup>
            <#if groupTotpRecoveryOffered!false>
                <@buttons.actionGroup>
                    <@buttons.button id="group-totp-use-recovery" name="recovery" type="link" label="groupTotp.useRecoveryCode" />
                </@buttons.actionGroup>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
