<#-- Which second factor to set up, for a user whose policy does not accept an authenticator app (e.g. a
     phishing-resistant group): each choice runs Keycloak's own registration of it. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("groupTotp.enrolTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-choose-intro">${msg("groupTotp.chooseIntro")}</p>
        <form id="group-totp-choose-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@fields.actions>
                <#list groupTotpChoices as factor>
                    <@fields.submit id="group-totp-enrol-${factor}" name="factor" value=factor style=(factor?is_first)?then("primary", "secondary") label="groupTotp.setUp.${factor}" />
                </#list>
            </@fields.actions>
        </form>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
