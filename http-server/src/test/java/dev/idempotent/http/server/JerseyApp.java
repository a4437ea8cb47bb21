package dev.idempotent.http.server;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The JAX-RS application behind the feature in tests: the same paths as {@link TestApp}. */
@Path("/")
public final class JerseyApp {
  final Runs runs = new Runs();

  @POST
  @Path("charges")
  public Response charges(byte[] body) {
    return charge("/charges", body);
  }

  @POST
  @Path("slow{variant: (-wait(-long)?)?}")
  public Response slow(@PathParam("variant") String variant, byte[] body) {
    int run = runs.run("/slow" + variant);
    runs.holdSlow();
    return created(run, body);
  }

  private Response charge(String path, byte[] body) {
    return created(runs.run(path), body);
  }

  private static Response created(int run, byte[] body) {
    return Response.created(URI.create("/charges/ch_" + run))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header("X-Request-Id", "req-" + run)
        .cookie(new NewCookie.Builder("session").value(Integer.toString(run)).build())
        .entity(Runs.charge(run, body.length))
        .build();
  }

  @POST
  @Path("status/{status}")
  public Response status(@PathParam("status") int status, byte[] body) {
    int run = runs.run("/status/" + status);
    return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity("run " + run).build();
  }

  @POST
  @Path("throws")
  public Response fails(byte[] body) {
    runs.run("/throws");
    throw new IllegalStateException("the handler failed");
  }

  @POST
  @Path("big/{size}")
  public Response big(@PathParam("size") int size, byte[] body) {
    runs.run("/big/" + size);
    StreamingOutput out =
        stream -> {
          byte[] chunk = new byte[1024];
          for (int written = 0; written < size; written += chunk.length) {
            stream.write(chunk, 0, Math.min(chunk.length, size - written));
          }
        };
    return Response.ok(out, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
  }

  @POST
  @Path("nocontent")
  public Response noContent(byte[] body) {
    runs.run("/nocontent");
    return Response.noContent().header("X-Request-Id", "nc").build();
  }

  @POST
  @Path("{other: .*}")
  public Response other(@PathParam("other") String other, byte[] body) {
    int run = runs.run("/" + other);
    return Response.ok(("unprotected run " + run).getBytes(StandardCharsets.UTF_8)).build();
  }
}
