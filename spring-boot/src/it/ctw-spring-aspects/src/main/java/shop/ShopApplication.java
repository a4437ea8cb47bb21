package shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application: component scan of {@code shop}. */
@SpringBootApplication
public class ShopApplication {}
