package io.statusreg.registry.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A W3C {@code BitstringStatusListCredential} (VC Data Model 2.0), as JSON and as a VC-JWT
 * (VC-JOSE-COSE: the credential is the JWS payload, header {@code typ: vc+jwt}, {@code alg}, {@code
 * kid}).
 *
 * <pre>{@code
 * {"@context": ["https://www.w3.org/ns/credentials/v2"],
 *  "id": "<url>", "type": ["VerifiableCredential", "BitstringStatusListCredential"],
 *  "issuer": "<issuer>", "validFrom": "...", "validUntil": "...",
 *  "credentialSubject": {"id": "<url>#list", "type": "BitstringStatusList",
 *     "statusPurpose": "revocation", "encodedList": "u...", "ttl": <ms>}}
 * }</pre>
 */
public final class BitstringStatusListCredential {
  public static final String CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";
  public static final String TYP = "vc+jwt";
  public static final String MEDIA_TYPE = "application/vc+jwt";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BitstringStatusListCredential() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builds the credential JSON and signs it. Not thread-safe; cheap to create. */
  public static final class Builder {
    private String id;
    private String issuer;
    private Instant validFrom;
    private Instant validUntil;
    private W3cForm form;
    private Duration ttl;
    private StatusList list;
    private byte[] gzipped;
    private int gzipLevel = 6;

    private Builder() {}

    /** The credential's URL (the {@code statusListCredential} of referencing entries). */
    public Builder id(String url) {
      this.id = url;
      return this;
    }

    public Builder issuer(String issuerId) {
      this.issuer = issuerId;
      return this;
    }

    public Builder validFrom(Instant t) {
      this.validFrom = t;
      return this;
    }

    public Builder validUntil(Instant t) {
      this.validUntil = t;
      return this;
    }

    /**
     * The list's W3C form ({@link W3cForm#of}), required: it sets {@code statusPurpose}, and for
     * {@code message} lists {@code statusSize} and {@code statusMessages}; a {@code suspension}
     * form over a multi-bit list publishes one bit per entry, set while SUSPENDED.
     */
    public Builder form(W3cForm f) {
      this.form = f;
      return this;
    }

    /** Cache hint; written in milliseconds as the W3C spec asks. */
    public Builder ttl(Duration d) {
      this.ttl = d;
      return this;
    }

    public Builder list(StatusList l) {
      this.list = l;
      return this;
    }

    /**
     * The list as already compressed: the GZIP of its bitstring in this credential's {@link #form}
     * ({@link W3cForm#bitstringPage} page by page, padded to {@value
     * BitstringStatusList#MIN_ENTRIES} entries), instead of {@link #list}.
     */
    public Builder gzippedList(byte[] gzip) {
      this.gzipped = gzip;
      return this;
    }

    public Builder gzipLevel(int level) {
      this.gzipLevel = level;
      return this;
    }

    /** The unsigned credential as a JSON object. */
    public ObjectNode toJsonNode() {
      require(id, "id");
      require(issuer, "issuer");
      require(validFrom, "validFrom");
      if (gzipped == null) {
        require(list, "list");
      }
      require(form, "form");
      ObjectNode vc = JSON.createObjectNode();
      vc.putArray("@context").add(CONTEXT_V2);
      vc.put("id", id);
      vc.putArray("type").add("VerifiableCredential").add("BitstringStatusListCredential");
      vc.put("issuer", issuer);
      vc.put("validFrom", DateTimeFormatter.ISO_INSTANT.format(seconds(validFrom)));
      if (validUntil != null) {
        vc.put("validUntil", DateTimeFormatter.ISO_INSTANT.format(seconds(validUntil)));
      }
      ObjectNode subject = vc.putObject("credentialSubject");
      subject.put("id", id + "#list");
      subject.put("type", "BitstringStatusList");
      subject.put("statusPurpose", form.statusPurpose());
      if (form.isMessage()) {
        subject.put("statusSize", form.statusSize());
        com.fasterxml.jackson.databind.node.ArrayNode messages = subject.putArray("statusMessages");
        for (var m : form.statusMessages()) {
          messages.addObject().put("status", m.get("status")).put("message", m.get("message"));
        }
      }
      subject.put(
          "encodedList",
          gzipped != null ? BitstringStatusList.multibase(gzipped) : form.encode(list, gzipLevel));
      if (ttl != null) {
        subject.put("ttl", ttl.toMillis());
      }
      return vc;
    }

    /** The unsigned credential JSON. */
    public String toJson() {
      try {
        return JSON.writeValueAsString(toJsonNode());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("writing credential JSON", e);
      }
    }

    /** The credential signed as a VC-JWT (compact JWS, {@code typ: vc+jwt}). */
    public String sign(SigningKey key) {
      JWSHeader.Builder header =
          new JWSHeader.Builder(key.algorithm().jwsAlgorithm())
              .type(new JOSEObjectType(TYP))
              .keyID(key.kid());
      if (issuer != null) {
        // VC-JOSE-COSE: the issuer may also travel in the header, so a verifier can find the
        // issuer's metadata (and its keys) before it parses the payload.
        header.customParam("iss", issuer);
      }
      if (!key.x5c().isEmpty()) {
        header.x509CertChain(key.x5c());
      }
      JWSObject jws = new JWSObject(header.build(), new Payload(toJson()));
      try {
        jws.sign(key.jwsSigner());
      } catch (JOSEException | RuntimeException e) {
        throw new TokenException(Reason.SIGNING_FAILED, "signing status list credential " + id, e);
      }
      return jws.serialize();
    }

    private static void require(Object v, String name) {
      if (v == null) {
        throw new TokenException(Reason.MISSING_CLAIM, "credential needs " + name);
      }
    }

    private static Instant seconds(Instant t) {
      return Instant.ofEpochSecond(t.getEpochSecond());
    }
  }
}
