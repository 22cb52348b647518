<#-- Error page of the Group TOTP policy step: the message comes from the step; the user can only start over. -->
<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("groupTotp.errorTitle")}
    <#elseif section = "form">
        <p id="group-totp-error-help">${msg("groupTotp.errorHelp")}</p>
        <@buttons.actionGroup>
            <@buttons.buttonLink id="group-totp-restart" href=url.loginRestartFlowUrl label="groupTotp.restartLogin" class=["kcButtonPrimaryClass", "kcButtonBlockClass"] />
        </@buttons.actionGroup>
    </#if>
</@layout.registrationLayout>
