import Foundation
import StagecraftCore
exit(0)
