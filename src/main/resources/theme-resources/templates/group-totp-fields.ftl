<#-- Form parts of the Group TOTP pages, in plain PatternFly markup with the login theme's own classes: the
     keycloak.v2 field.ftl and buttons.ftl macros take different parameters in different Keycloak 26 releases, and
     these pages must render the same, valid HTML on all of them. -->

<#-- A text input with its label and its error (id input-error-<name>), as keycloak.v2 lays them out. -->
<#macro input name label autocomplete="off" autofocus=false numeric=false>
    <#local error=kcSanitize(messagesPerField.get(name))?no_esc>
    <div class="${properties.kcFormGroupClass!}">
        <div class="pf-v5-c-form__group-label pf-v5-u-pb-xs">
            <label for="${name}" class="pf-v5-c-form__label"><span class="pf-v5-c-form__label-text">${label}</span></label>
        </div>
        <span class="${properties.kcInputClass!}<#if error?has_content> ${properties.kcError!}</#if>">
            <input id="${name}" name="${name}" type="text" value="" autocomplete="${autocomplete}"<#if numeric> inputmode="numeric"</#if><#if autofocus> autofocus</#if><#if error?has_content> aria-invalid="true" aria-describedby="input-error-${name}"</#if>/>
            <#if error?has_content>
                <span class="${properties.kcFormControlUtilClass!}"><span class="${properties.kcInputErrorIconStatusClass!}"><i class="${properties.kcInputErrorIconClass!}" aria-hidden="true"></i></span></span>
            </#if>
        </span>
        <#if error?has_content>
            <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                <div class="${properties.kcInputHelperTextClass!}">
                    <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}" id="input-error-${name}">
                        <span class="${properties.kcInputErrorMessageClass!}">${error}</span>
                    </div>
                </div>
            </div>
        </#if>
    </div>
</#macro>

<#-- A row of buttons. -->
<#macro actions>
    <div class="${properties.kcFormGroupClass!}">
        <div class="${properties.kcFormActionGroupClass!}">
            <#nested>
        </div>
    </div>
</#macro>

<#-- A submit button: style primary or secondary (full width), or link; value for a button that names a choice. -->
<#macro submit id name label style="primary" value="">
    <button type="submit" id="${id}" name="${name}"<#if value?has_content> value="${value}"</#if> class="<#if style == "link">${properties.kcButtonLinkClass!}<#elseif style == "secondary">${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}<#else>${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}</#if>">${msg(label)}</button>
</#macro>
