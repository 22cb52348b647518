<#-- Error page of the Group TOTP policy step: the message comes from the step; the user can only start over. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("groupTotp.errorTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-error-help">${msg("groupTotp.errorHelp")}</p>
        <@fields.actions>
            <a id="group-totp-restart" href="${url.loginRestartFlowUrl}" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("groupTotp.restartLogin")}</a>
        </@fields.actions>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
