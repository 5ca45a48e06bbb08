// Rampart.Smtp: how mail gets in and out — LMTP and inbound SMTP delivery, submission, the outbound queue, and
// the sender checks (SPF, DKIM, DMARC) on the shared store, connection layer and SASL framework.
[assembly: System.CLSCompliant(false)]
