namespace Rampart.Server.Tests.Kerberos;

/// <summary>
/// A GSSAPI client in Python (Debian's python3-gssapi over MIT Kerberos) driving IMAP <c>AUTHENTICATE GSSAPI</c> with
/// imaplib, or POP3 <c>AUTH GSSAPI</c> with poplib, over implicit TLS (RFC 4752 §3.1 on the client side). It can save
/// its first token (the AP-REQ) to a file, or send a saved one instead of its own (a replay).
/// </summary>
internal static class GssapiPythonClient
{
    /// <summary>Debian's interpreter: the gssapi module is a Debian package, not in another Python on the PATH.</summary>
    public const string Python = "/usr/bin/python3";

    public const string Script = """
        import sys, ssl, imaplib, poplib, base64, gssapi
        # client.py imap|pop3 PORT SERVICE HOST AUTHZID [save=FILE|replay=FILE|layer=HEX]
        proto, port, service, host, authzid = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        extra = sys.argv[6] if len(sys.argv) > 6 else ""
        krb5 = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")
        ctx = gssapi.SecurityContext(name=gssapi.Name(service + "@" + host, gssapi.NameType.hostbased_service), mech=krb5, usage="initiate")
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
        state = {"n": 0}
        def respond(challenge):
            n = state["n"]
            state["n"] += 1
            if n == 0:
                token = ctx.step(None)
                if extra.startswith("save="):
                    open(extra[5:], "wb").write(token)
                if extra.startswith("replay="):
                    token = open(extra[7:], "rb").read()
                return token
            if not ctx.complete:
                return ctx.step(challenge) or b""
            offer = ctx.unwrap(challenge).message
            print("OFFER", offer.hex())
            layer = bytes.fromhex(extra[6:]) if extra.startswith("layer=") else b"\x01"
            return ctx.wrap(layer + b"\x00\x00\x00" + authzid.encode(), False).message
        try:
            if proto == "imap":
                m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls)
                typ, data = m.authenticate("GSSAPI", respond)
                print("AUTH", typ)
                m.select("INBOX")
                typ, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
                print("INBOX", data[0][1].decode().strip())
                m.logout()
            else:
                p = poplib.POP3_SSL("127.0.0.1", port, context=tls)
                resp = p._shortcmd("AUTH GSSAPI")
                while resp.startswith(b"+ ") or resp == b"+":
                    p._putcmd(base64.b64encode(respond(base64.b64decode(resp[2:]))).decode())
                    resp = p._getresp()
                print("AUTH", resp.decode())
                print("INBOX", [l.decode() for l in p.top(1, 0)[1] if l.lower().startswith(b"subject:")][0])
                p.quit()
        except (imaplib.IMAP4.error, poplib.error_proto, OSError) as e:
            print("FAILED", e)
        """;
}
