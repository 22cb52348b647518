<#-- Grace page of the Group TOTP policy step: two-step verification is becoming mandatory for this user.
     The deadline shown here is the one the step enforces. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("groupTotp.graceTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <#assign choices = groupTotpChoices![]>
        <p id="group-totp-grace-intro"><#if choices?has_content && !choices?seq_contains("otp")>${msg("groupTotp.graceIntroKey")}<#else>${msg("groupTotp.graceIntro")}</#if></p>
        <p>${msg("groupTotp.graceDeadline")} <strong><time id="group-totp-deadline" datetime="${graceDeadline}">${graceDeadlineText}</time></strong></p>
        <p id="group-totp-days-left"><#if graceDaysLeft == 1>${msg("groupTotp.graceOneDayLeft")}<#else>${msg("groupTotp.graceDaysLeft", graceDaysLeftText)}</#if></p>
        <form id="group-totp-grace-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@fields.actions>
                <#if !choices?has_content || choices?seq_contains("otp")>
                    <@fields.submit id="group-totp-enrol" name="enrol" label="groupTotp.graceEnrolNow" />
                </#if>
                <#list choices as factor>
                    <#if factor != "otp">
                        <@fields.submit id="group-totp-enrol-${factor}" name="factor" value=factor style="secondary" label="groupTotp.setUp.${factor}" />
                    </#if>
                </#list>
                <@fields.submit id="group-totp-skip" name="skip" style="secondary" label="groupTotp.graceSkip" />
            </@fields.actions>
        </form>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
