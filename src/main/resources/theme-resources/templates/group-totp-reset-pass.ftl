<#-- One-time pass page of the Group TOTP policy step: after an admin's reset, the pass the help desk handed over is
     asked before a new authenticator can be set up, so that the password alone never enrols a new phone. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('oneTimePass'); section>
    <#if section = "header">
        ${msg("groupTotp.resetPassTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-reset-pass-intro">${msg("groupTotp.resetPassIntro")}</p>
        <form id="group-totp-reset-pass-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@fields.input name="oneTimePass" label=msg("groupTotp.resetPassLabel") autofocus=true />
            <@fields.actions>
                <@fields.submit id="group-totp-reset-pass-submit" name="login" label="groupTotp.resetPassSubmit" />
            </@fields.actions>
        </form>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
