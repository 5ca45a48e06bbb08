// Rampart.Monitoring: security events, the tamper-evident audit log, metrics, anomaly detectors, alerts and the
// registry of live sessions. It references nothing else in Rampart, so every layer can raise events into it.
[assembly: System.CLSCompliant(false)]
