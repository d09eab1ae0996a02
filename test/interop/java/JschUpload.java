import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;

/**
 * Uploads one file with JSch, as a Java exporter would: the library's default algorithm lists,
 * the host key checked against a known_hosts file. Run as a single-file program:
 * java -cp /usr/share/java/jsch.jar JschUpload.java HOST PORT USER PASSWORD KNOWN_HOSTS LOCAL REMOTE [HOSTKEY_ALGORITHMS]
 * Prints the negotiated host key type and the cipher, then "uploaded"; exits 1 with JSch's error.
 */
public class JschUpload {
  public static void main(String[] args) throws Exception {
    JSch jsch = new JSch();
    jsch.setKnownHosts(args[4]);
    Session session = jsch.getSession(args[2], args[0], Integer.parseInt(args[1]));
    session.setPassword(args[3]);
    session.setConfig("StrictHostKeyChecking", "yes");
    session.setConfig("PreferredAuthentications", "password");
    if (args.length > 7) session.setConfig("server_host_key", args[7]);
    try {
      session.connect(15000);
      System.out.println("host key " + session.getHostKey().getType());
      System.out.println("cipher " + session.getConfig("cipher.s2c") + " / server " + session.getServerVersion());
      ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
      sftp.connect(15000);
      sftp.put(args[5], args[6]);
      sftp.disconnect();
      System.out.println("uploaded");
    } catch (Exception e) {
      System.out.println("failed: " + e.getMessage());
      System.exit(1);
    } finally {
      session.disconnect();
    }
  }
}
