<#-- Code page of the Group TOTP policy step. Extends the active login theme (keycloak.v2 look). -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('otp'); section>
    <#if section = "header">
        ${msg("groupTotp.codeTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-code-intro">${msg("groupTotp.codeIntro")}</p>
        <form id="group-totp-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@fields.input name="otp" label=msg("groupTotp.codeLabel") autocomplete="one-time-code" numeric=true autofocus=true />
            <@fields.actions>
                <@fields.submit id="kc-login" name="login" label="groupTotp.verify" />
            </@fields.actions>
            <#if (groupTotpOtherFactors![])?has_content>
                <@fields.actions>
                    <#list groupTotpOtherFactors as factor>
                        <@fields.submit id="group-totp-use-${factor}" name="factor" value=factor style="secondary" label="groupTotp.use.${factor}" />
                    </#list>
                </@fields.actions>
            </#if>
            <#if groupTotpRecoveryOffered!false>
                <@fields.actions>
                    <@fields.submit id="group-totp-use-recovery" name="recovery" style="link" label="groupTotp.useRecoveryCode" />
                </@fields.actions>
            </#if>
        </form>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
