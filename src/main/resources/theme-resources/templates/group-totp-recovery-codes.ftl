<#-- New recovery codes, shown once by the Group TOTP policy step after a new authenticator app was set up. They are
     stored (as Keycloak's recovery-codes credential) only when the user confirms having saved them. -->
<#import "template.ftl" as layout>
<#import "group-totp-fields.ftl" as fields>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('saved'); section>
    <#if section = "header">
        ${msg("groupTotp.recoveryCodesTitle")}
    <#elseif section = "form">
        <!-- group-totp: begin -->
        <p id="group-totp-recovery-codes-intro">${msg("groupTotp.recoveryCodesIntro")}</p>
        <div class="${properties.kcPanelClass!}">
            <div class="${properties.kcPanelMainClass!}">
                <div class="${properties.kcPanelMainBodyClass!}">
                    <ol id="group-totp-recovery-codes-list" class="${properties.kcListClass!}">
                        <#list recoveryCodes as code>
                            <li><code>${code}</code></li>
                        </#list>
                    </ol>
                </div>
            </div>
        </div>
        <div id="group-totp-recovery-codes-actions" class="pf-v5-u-my-md">
            <button id="group-totp-recovery-codes-print" class="${properties.kcButtonLinkClass!}" type="button">${msg("groupTotp.recoveryCodesPrint")}</button>
            <button id="group-totp-recovery-codes-download" class="${properties.kcButtonLinkClass!}" type="button">${msg("groupTotp.recoveryCodesDownload")}</button>
            <button id="group-totp-recovery-codes-copy" class="${properties.kcButtonLinkClass!}" type="button">${msg("groupTotp.recoveryCodesCopy")}</button>
            <span id="group-totp-recovery-codes-copied" class="pf-v5-screen-reader" role="status"></span>
        </div>
        <form id="group-totp-recovery-codes-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcCheckboxClass!}">
                    <input class="${properties.kcCheckboxInputClass!}" type="checkbox" id="group-totp-codes-saved" name="saved" value="on"
                           aria-invalid="<#if messagesPerField.existsError('saved')>true</#if>"
                           <#if messagesPerField.existsError('saved')>aria-describedby="input-error-saved"</#if>/>
                    <label class="${properties.kcCheckboxLabelClass!}" for="group-totp-codes-saved">${msg("groupTotp.recoveryCodesSaved")}</label>
                </div>
                <#if messagesPerField.existsError('saved')>
                    <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                        <div class="${properties.kcInputHelperTextClass!}">
                            <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}" id="input-error-saved">
                                <span class="${properties.kcInputErrorMessageClass!}">${kcSanitize(messagesPerField.get('saved'))?no_esc}</span>
                            </div>
                        </div>
                    </div>
                </#if>
            </div>
            <@fields.actions>
                <@fields.submit id="group-totp-recovery-codes-done" name="done" label="groupTotp.recoveryCodesDone" />
            </@fields.actions>
        </form>
        <script>
            <#outputformat "JavaScript">
            (function () {
                const header = ${msg("groupTotp.recoveryCodesFileHeader")?c};
                const codes = Array.from(document.querySelectorAll('#group-totp-recovery-codes-list code'))
                    .map(function (code, i) { return (i + 1) + ': ' + code.textContent; });
                const text = header + '\n\n' + codes.join('\n') + '\n';
                document.getElementById('group-totp-recovery-codes-copy').addEventListener('click', function () {
                    navigator.clipboard.writeText(text).then(function () {
                        document.getElementById('group-totp-recovery-codes-copied').textContent = ${msg("groupTotp.recoveryCodesCopied")?c};
                    });
                });
                document.getElementById('group-totp-recovery-codes-download').addEventListener('click', function () {
                    const link = document.createElement('a');
                    link.href = 'data:text/plain;charset=utf-8,' + encodeURIComponent(text);
                    link.download = 'recovery-codes.txt';
                    document.body.appendChild(link);
                    link.click();
                    link.remove();
                });
                document.getElementById('group-totp-recovery-codes-print').addEventListener('click', function () {
                    window.print();
                });
            })();
            </#outputformat>
        </script>
        <!-- group-totp: end -->
    </#if>
</@layout.registrationLayout>
