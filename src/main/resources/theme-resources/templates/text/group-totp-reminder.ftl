<#ftl output_format="plainText">
<#-- Reminder before the deadline of a required user's grace period (see README, "Reminder e-mails"). No code or secret. -->
${msg("groupTotpReminderGreeting", (user.firstName)!user.username)}

${msg("groupTotpReminderIntro", deadlineText, realmName)}
<#if daysLeft == 1>${msg("groupTotp.graceOneDayLeft")}<#else>${msg("groupTotp.graceDaysLeft", daysLeftText)}</#if>

${msg("groupTotpReminderHowTitle")}
1. ${msg("groupTotpReminderInstall")}
2. ${msg("groupTotpReminderSignIn")} ${accountUrl}
3. ${msg("groupTotpReminderScan")}

${msg("groupTotpReminderAfterDeadline")}

${msg("groupTotpReminderNoCode")}
