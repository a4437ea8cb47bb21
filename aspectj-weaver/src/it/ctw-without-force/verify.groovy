// Both builds ran: the first wove and passed, the second left the classes unwoven and the check
// said which method, why, and the fix.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
assert !new File(basedir, 'target/classes/shop/Payments.class').text.contains('ajc$')
def report = new File(basedir, 'target/surefire-reports/shop.WeavingTest.txt').text
assert report.contains('1 method is not protected')
assert report.contains('shop.Payments.charge(String, long) is not woven')
assert report.contains('<forceAjcCompile>true</forceAjcCompile>')
return true
