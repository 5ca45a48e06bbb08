// Rampart.Net: listeners, TLS, STARTTLS, PROXY v2, connection limits and the line/literal reader.
[assembly: System.CLSCompliant(false)]
