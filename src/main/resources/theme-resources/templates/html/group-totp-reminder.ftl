<#-- Reminder before the deadline of a required user's grace period (see README, "Reminder e-mails"). No code or secret. -->
<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("groupTotpReminderGreeting", (user.firstName)!user.username)}</p>
<p>${msg("groupTotpReminderIntro", deadlineText, realmName)}</p>
<p><strong><#if daysLeft == 1>${msg("groupTotp.graceOneDayLeft")}<#else>${msg("groupTotp.graceDaysLeft", daysLeftText)}</#if></strong></p>
<p>${msg("groupTotpReminderHowTitle")}</p>
<ol>
  <li>${msg("groupTotpReminderInstall")}</li>
  <li>${msg("groupTotpReminderSignIn")} <a href="${accountUrl}">${accountUrl}</a></li>
  <li>${msg("groupTotpReminderScan")}</li>
</ol>
<p>${msg("groupTotpReminderAfterDeadline")}</p>
<p><small>${msg("groupTotpReminderNoCode")}</small></p>
</@layout.emailLayout>
