package dev.vpcflowlogs.recorder.standin;

import static dev.vpcflowlogs.recorder.standin.Xml.element;

import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Where credentials come from: STS (the query protocol, version 2011-06-15: AssumeRoleWithWebIdentity for IRSA,
 * AssumeRole for profiles that assume a role) and the container credentials endpoint (EKS Pod Identity's agent, ECS's
 * task role endpoint). Each issues temporary credentials the tests then find in the calls they sign. AssumeRole
 * follows the STS API reference: RoleSessionName 2 to 64 of {@code [\w+=,.@-]}, DurationSeconds 900 to 43200, the
 * ExternalId a trust asks for, AccessDenied for a caller not trusted; GetCallerIdentity needs no permission.
 */
public final class CredentialsApi {

    static final String STS_VERSION = "2011-06-15";
    static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** Where the stand-in serves container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI points here). */
    static final String CONTAINER_PATH = "/container-credentials";
    /** IAM role ARNs: arn:partition:iam::account:role/path/name (IAM user guide, "IAM identifiers"). */
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    /** RoleSessionName: 2 to 64 characters of [\w+=,.@-] (STS API reference, AssumeRoleWithWebIdentity). */
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    /** Credentials the stand-in handed out, and to whom. */
    public record Issued(
            String source, String roleArn, String accessKeyId, String secretAccessKey, String sessionToken) {}

    private final Map<String, String> webIdentityTokens = new ConcurrentHashMap<>();
    private final Map<String, String> assumableRoles = new ConcurrentHashMap<>();

    /** A role's trust: the account whose principals may assume it, and the ExternalId it asks for. */
    private record Trust(String account, String externalId) {}

    private final Map<String, Trust> trusts = new ConcurrentHashMap<>();
    private final java.util.Set<String> denied = ConcurrentHashMap.newKeySet();
    /** The account of each access key issued. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();

    private volatile String containerAuthorization;
    private volatile Duration lifetime = Duration.ofHours(1);
    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final Random random = new Random();

    void acceptWebIdentity(String roleArn, String token) {
        webIdentityTokens.put(token, roleArn);
    }

    void allowAssumeRole(String roleArn, String callerAccessKeyId) {
        assumableRoles.put(roleArn, callerAccessKeyId);
    }

    void trust(String roleArn, String account, String externalId) {
        trusts.put(roleArn, new Trust(account, externalId));
    }

    void deny(String roleArn) {
        denied.add(roleArn);
    }

    /** The account an issued access key belongs to, or null if the stand-in did not issue it. */
    String accountOf(String accessKeyId) {
        return accounts.get(accessKeyId);
    }

    void containerAuthorization(String token) {
        this.containerAuthorization = token;
    }

    void lifetime(Duration value) {
        this.lifetime = value;
    }

    List<Issued> issued() {
        return List.copyOf(issued);
    }

    /** One STS action, as its API reference describes its parameters and errors. */
    Response sts(
            String action,
            Map<String, String> params,
            String callerAccessKeyId,
            String callerAccount,
            String requestId) {
        return switch (action) {
            case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(params, requestId);
            case "AssumeRole" -> assumeRole(params, callerAccessKeyId, callerAccount, requestId);
            case "GetCallerIdentity" -> callerIdentity(callerAccessKeyId, callerAccount, requestId);
            default -> throw new ApiError(400, "InvalidAction", "the stand-in does not implement STS " + action);
        };
    }

    private Response assumeRoleWithWebIdentity(Map<String, String> params, String requestId) {
        String roleArn = roleArn(params);
        sessionName(params);
        duration(params);
        String token = params.get("WebIdentityToken");
        if (token == null || token.length() < 4) {
            throw new ApiError(400, "ValidationError", "WebIdentityToken must be 4 to 20000 characters long");
        }
        String expectedRole = webIdentityTokens.get(token.strip());
        if (expectedRole == null) {
            throw new ApiError(400, "InvalidIdentityToken", "The web identity token is not valid for this stand-in");
        }
        if (!expectedRole.equals(roleArn)) {
            throw new ApiError(
                    403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity on " + roleArn);
        }
        Issued credentials = issue("AssumeRoleWithWebIdentity", roleArn);
        return ok(
                "AssumeRoleWithWebIdentity",
                credentials,
                params.get("RoleSessionName"),
                element("SubjectFromWebIdentityToken", "system:serviceaccount:recorder:recorder")
                        + element("Audience", "sts.amazonaws.com"),
                requestId);
    }

    private Response assumeRole(
            Map<String, String> params, String callerAccessKeyId, String callerAccount, String requestId) {
        String roleArn = roleArn(params);
        sessionName(params);
        duration(params);
        if (callerAccessKeyId == null) {
            throw new ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        Trust trust = trusts.get(roleArn);
        boolean allowed = callerAccessKeyId.equals(assumableRoles.get(roleArn))
                || (trust != null
                        && trust.account().equals(callerAccount)
                        && (trust.externalId() == null || trust.externalId().equals(params.get("ExternalId"))));
        if (denied.contains(roleArn) || !allowed) {
            throw new ApiError(
                    403,
                    "AccessDenied",
                    "User: arn:aws:sts::" + callerAccount + ":assumed-role/caller is not authorized to perform:"
                            + " sts:AssumeRole on resource: " + roleArn);
        }
        Issued credentials = issue("AssumeRole", roleArn);
        return ok("AssumeRole", credentials, params.get("RoleSessionName"), "", requestId);
    }

    /** The container credentials endpoint: the Authorization header must carry the token the agent expects. */
    Response container(String authorization) {
        String expected = containerAuthorization;
        if (expected == null) {
            return new Response(404, "application/json", "{\"message\":\"no container credentials here\"}");
        }
        if (authorization == null || !authorization.equals(expected)) {
            return new Response(401, "application/json", "{\"message\":\"Authorization token is missing or wrong\"}");
        }
        Issued credentials = issue("container", "arn:aws:iam::123456789012:role/vpc-flowlogs-recorder");
        return new Response(
                200,
                "application/json",
                "{\"AccessKeyId\":\"" + credentials.accessKeyId() + "\",\"SecretAccessKey\":\""
                        + credentials.secretAccessKey() + "\",\"Token\":\"" + credentials.sessionToken()
                        + "\",\"AccountId\":\"123456789012\",\"Expiration\":\"" + expiration() + "\"}");
    }

    private static String roleArn(Map<String, String> params) {
        String roleArn = params.get("RoleArn");
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            throw new ApiError(400, "ValidationError", "RoleArn is not a role's ARN: " + roleArn);
        }
        return roleArn;
    }

    private static void sessionName(Map<String, String> params) {
        String name = params.get("RoleSessionName");
        if (name == null || !SESSION_NAME.matcher(name).matches()) {
            throw new ApiError(400, "ValidationError", "RoleSessionName must match [\\w+=,.@-]{2,64}: " + name);
        }
    }

    private static void duration(Map<String, String> params) {
        String seconds = params.get("DurationSeconds");
        if (seconds != null && (Integer.parseInt(seconds) < 900 || Integer.parseInt(seconds) > 43_200)) {
            throw new ApiError(400, "ValidationError", "DurationSeconds must be 900 to 43200");
        }
    }

    private Issued issue(String source, String roleArn) {
        Issued credentials = new Issued(
                source, roleArn, "ASIA" + hex(8).toUpperCase(java.util.Locale.ROOT), hex(20), "session-" + hex(24));
        issued.add(credentials);
        accounts.put(credentials.accessKeyId(), roleArn.split(":")[4]);
        return credentials;
    }

    /** GetCallerIdentity: no permission needed (STS API reference); the account of the caller's credentials. */
    private Response callerIdentity(String callerAccessKeyId, String callerAccount, String requestId) {
        if (callerAccessKeyId == null) {
            throw new ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        return new Response(
                200,
                "text/xml",
                "<GetCallerIdentityResponse xmlns=\"" + STS_NS + "\"><GetCallerIdentityResult>"
                        + element("Arn", "arn:aws:sts::" + callerAccount + ":assumed-role/vpc-flowlogs-recorder/caller")
                        + element("UserId", "AROA" + callerAccessKeyId)
                        + element("Account", callerAccount)
                        + "</GetCallerIdentityResult><ResponseMetadata>" + element("RequestId", requestId)
                        + "</ResponseMetadata></GetCallerIdentityResponse>");
    }

    private String expiration() {
        return Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private Response ok(String action, Issued credentials, String sessionName, String extra, String requestId) {
        String body = "<" + action + "Response xmlns=\"" + STS_NS + "\"><" + action + "Result>"
                + "<Credentials>"
                + element("AccessKeyId", credentials.accessKeyId())
                + element("SecretAccessKey", credentials.secretAccessKey())
                + element("SessionToken", credentials.sessionToken())
                + element("Expiration", expiration())
                + "</Credentials><AssumedRoleUser>"
                + element(
                        "Arn",
                        credentials.roleArn().replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/"
                                + sessionName)
                + element("AssumedRoleId", "AROA" + hex(8).toUpperCase(java.util.Locale.ROOT) + ":" + sessionName)
                + "</AssumedRoleUser>" + extra + "</" + action + "Result><ResponseMetadata>"
                + element("RequestId", requestId) + "</ResponseMetadata></" + action + "Response>";
        return new Response(200, "text/xml", body);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        synchronized (random) {
            random.nextBytes(b);
        }
        return java.util.HexFormat.of().formatHex(b);
    }
}
