// Rampart.Security: SASL, password hashing and policy, AuthGuard, access rules.
[assembly: System.CLSCompliant(false)]
